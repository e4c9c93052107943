public import FoundationEssentials
public import PGWire

/// The kind of a money account.
public enum AccountType: String, StoredEnum {
    /// Each value, as stored.
    case checking, savings, creditCard = "credit_card", investment, loan, other
}

/// Whether an account is in use.
public enum AccountStatus: String, StoredEnum {
    /// Each value, as stored.
    case active, inactive, closed, suspended
}

/// A bank, card, investment or loan account the organization's money moves through.
public struct Account: Sendable, Hashable, Decodable {
    /// The account's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who added it.
    public let userID: UUID
    /// The display name.
    public var name: String
    /// What kind of account it is.
    public var accountType: AccountType
    /// The bank's name.
    public var bankName: String?
    /// The last four digits of the account or card number (never the whole number).
    public var lastFour: String?
    /// The account's currency (ISO 4217).
    public var currency: String
    /// The balance when the account was added.
    public var openingBalance: PGNumeric
    /// The balance now; negative for money owed.
    public var currentBalance: PGNumeric
    /// The credit limit of a card or credit line.
    public var creditLimit: PGNumeric?
    /// Whether it is in use.
    public var status: AccountStatus
    /// Whether it is the organization's main account.
    public var isPrimary: Bool
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Account: StoredRecord {
    static let relation = "accounts"
    static let columns = """
        id, organization_id, user_id, name, account_type, bank_name, last_four, currency,
        opening_balance, current_balance, credit_limit, status, is_primary, notes, created_at,
        updated_at
        """
}
