public import FoundationEssentials
public import PGWire

/// Which way a transaction moves money.
public enum TransactionType: String, StoredEnum {
    /// Each type, as stored.
    case income, expense, transfer, payment, refund
}

/// Whether a transaction has settled.
public enum TransactionStatus: String, StoredEnum {
    /// Each status, as stored.
    case pending, completed, failed, cancelled
}

/// One entry of the organization's ledger.
public struct Transaction: Sendable, Hashable, Decodable {
    /// The transaction's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who recorded it.
    public let userID: UUID
    /// The account it moved money in.
    public var accountID: UUID?
    /// Its number, unique in the organization.
    public var transactionNumber: String
    /// Which way the money moved.
    public var type: TransactionType
    /// How much.
    public var amount: PGNumeric
    /// In which currency (ISO 4217).
    public var currency: String
    /// What it was.
    public var description: String?
    /// The category it is reported under.
    public var category: String?
    /// Whether it settled.
    public var status: TransactionStatus
    /// The invoice it settles, for an invoice payment.
    public var invoiceID: UUID?
    /// The expense it pays.
    public var expenseID: UUID?
    /// The payment it records.
    public var paymentID: UUID?
    /// When the money moved.
    public var transactionDate: Date
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

/// A transaction with the names the dashboard shows beside it.
public struct TransactionFeedItem: Sendable, Hashable, Decodable {
    /// The transaction's id.
    public let id: UUID
    /// Its number.
    public let transactionNumber: String
    /// Which way the money moved.
    public let type: TransactionType
    /// How much.
    public let amount: PGNumeric
    /// In which currency.
    public let currency: String
    /// What it was.
    public let description: String?
    /// Its category.
    public let category: String?
    /// Whether it settled.
    public let status: TransactionStatus
    /// When the money moved.
    public let transactionDate: Date
    /// The account's id, if it has one.
    public let accountID: UUID?
    /// The account's name, if it has one.
    public let accountName: String?
    /// The recording user's id.
    public let userID: UUID
    /// The recording user's full name, if known.
    public let userName: String?
    /// The recording user's e-mail.
    public let userEmail: String
}

/// The sum and count of transactions of one type and category.
public struct TransactionTotal: Sendable, Hashable, Decodable {
    /// The type.
    public let type: TransactionType
    /// The category; `nil` for uncategorised transactions.
    public let category: String?
    /// The currency of the sum.
    public let currency: String
    /// How many transactions.
    public let count: Int64
    /// Their sum, exact.
    public let total: PGNumeric
}

extension Transaction: StoredRecord {
    static let relation = "transactions"
    static let columns = """
        id, organization_id, user_id, account_id, transaction_number, type, amount, currency,
        description, category, status, invoice_id, expense_id, payment_id, transaction_date,
        notes, created_at, updated_at
        """
}

extension TransactionFeedItem: StoredRecord {
    static let relation = "transaction_feed"
    static let columns = """
        id, transaction_number, type, amount, currency, description, category, status,
        transaction_date, account_id, account_name, user_id, user_name, user_email
        """
}
