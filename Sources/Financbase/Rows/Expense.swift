public import FoundationEssentials
public import PGWire

/// Where an expense is in its approval.
public enum ExpenseStatus: String, StoredEnum {
    /// Each status, as stored.
    case pending, approved, rejected
}

/// Money spent, by category.
public struct Expense: Sendable, Hashable, Decodable {
    /// The expense's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who spent it.
    public let userID: UUID
    /// What it was for.
    public var description: String
    /// How much.
    public var amount: PGNumeric
    /// In which currency (ISO 4217).
    public var currency: String
    /// The day it was spent.
    public var expenseDate: PGDate
    /// The category it is reported under (`travel`, `software`, …).
    public var category: String
    /// Who was paid.
    public var vendor: String?
    /// How it was paid.
    public var paymentMethodID: UUID?
    /// The project it was spent for.
    public var projectID: UUID?
    /// The client it may be billed to.
    public var clientID: UUID?
    /// Where it is in its approval.
    public var status: ExpenseStatus
    /// The tax included in ``amount``.
    public var taxAmount: PGNumeric
    /// Whether it reduces taxable income.
    public var taxDeductible: Bool
    /// Whether it is billed on to the client.
    public var billable: Bool
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Expense: StoredRecord {
    static let relation = "expenses"
    static let columns = """
        id, organization_id, user_id, description, amount, currency, expense_date, category,
        vendor, payment_method_id, project_id, client_id, status, tax_amount, tax_deductible,
        billable, notes, created_at, updated_at
        """
}
