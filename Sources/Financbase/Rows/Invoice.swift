public import FoundationEssentials
public import PGWire

/// Where an invoice is in its life.
public enum InvoiceStatus: String, StoredEnum {
    /// Each value, as stored.
    case draft, sent, viewed, partiallyPaid = "partially_paid", paid, overdue, cancelled
}

/// A bill sent to a client; its lines are ``InvoiceLine``s.
public struct Invoice: Sendable, Hashable, Decodable {
    /// The invoice's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who created it.
    public let userID: UUID
    /// The client billed.
    public var clientID: UUID
    /// The number printed on it, unique in the organization.
    public var invoiceNumber: String
    /// The client's own reference (a purchase order).
    public var reference: String?
    /// The currency of every amount on it (ISO 4217).
    public var currency: String
    /// The sum of the lines.
    public var subtotal: PGNumeric
    /// The tax added.
    public var taxAmount: PGNumeric
    /// The discount taken off.
    public var discountAmount: PGNumeric
    /// What the client owes in all.
    public var total: PGNumeric
    /// What has been paid so far; never more than ``total``.
    public var amountPaid: PGNumeric
    /// Where the invoice is in its life.
    public var status: InvoiceStatus
    /// The date printed as issued.
    public var issueDate: PGDate
    /// The date payment is due.
    public var dueDate: PGDate
    /// When it was sent.
    public var sentAt: Date?
    /// When it was fully paid.
    public var paidAt: Date?
    /// Notes printed on it.
    public var notes: String?
    /// Payment terms printed on it.
    public var terms: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// One line of an invoice, in the invoice's currency.
public struct InvoiceLine: Sendable, Hashable, Decodable {
    /// The line's id.
    public let id: UUID
    /// The invoice it belongs to.
    public let invoiceID: UUID
    /// Its place on the invoice, from 0.
    public var position: Int32
    /// What was sold.
    public var description: String
    /// How many.
    public var quantity: PGNumeric
    /// The price of one.
    public var unitPrice: PGNumeric
    /// The line's amount.
    public var amount: PGNumeric
}

/// A line to put on a new invoice.
public struct NewInvoiceLine: Sendable, Hashable {
    /// What was sold.
    public var description: String
    /// How many.
    public var quantity: PGNumeric
    /// The price of one.
    public var unitPrice: PGNumeric
    /// The line's amount (normally quantity × unit price, rounded as the business rounds).
    public var amount: PGNumeric

    /// Creates a line.
    public init(description: String, quantity: PGNumeric = 1, unitPrice: PGNumeric, amount: PGNumeric) {
        self.description = description
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
    }
}

extension Invoice: StoredRecord {
    static let relation = "invoices"
    static let columns = """
        id, organization_id, user_id, client_id, invoice_number, reference, currency, subtotal,
        tax_amount, discount_amount, total, amount_paid, status, issue_date, due_date, sent_at,
        paid_at, notes, terms, created_at, updated_at
        """
}

extension InvoiceLine: StoredRecord {
    static let relation = "invoice_lines"
    static let columns = "id, invoice_id, position, description, quantity, unit_price, amount"
}
