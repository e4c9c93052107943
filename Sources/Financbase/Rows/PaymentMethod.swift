public import FoundationEssentials
public import PGWire

/// How money is paid or received.
public enum PaymentMethodType: String, StoredEnum {
    /// Each value, as stored.
    case card, stripe, paypal, square, bankTransfer = "bank_transfer", check, cash, other
}

/// Whether a payment method can be used.
public enum PaymentMethodStatus: String, StoredEnum {
    /// Each value, as stored.
    case active, inactive, suspended, failed
}

/// A configured way to pay or be paid, optionally drawing on an account.
public struct PaymentMethod: Sendable, Hashable, Decodable {
    /// The payment method's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who added it.
    public let userID: UUID
    /// The account it settles into or draws on.
    public var accountID: UUID?
    /// How money moves.
    public var methodType: PaymentMethodType
    /// The display name.
    public var name: String
    /// A free description.
    public var description: String?
    /// The processor's fee as a fraction of the amount (0.029 for 2.9 %).
    public var processingFeeRate: PGNumeric?
    /// The processor's fixed fee per payment.
    public var fixedFee: PGNumeric?
    /// The currency (ISO 4217).
    public var currency: String
    /// Whether it can be used.
    public var status: PaymentMethodStatus
    /// Whether it is the default.
    public var isDefault: Bool
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension PaymentMethod: StoredRecord {
    static let relation = "payment_methods"
    static let columns = """
        id, organization_id, user_id, account_id, method_type, name, description,
        processing_fee_rate, fixed_fee, currency, status, is_default, created_at, updated_at
        """
}
