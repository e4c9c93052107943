public import FoundationEssentials
public import PGWire

/// What a payment is for.
public enum PaymentType: String, StoredEnum {
    /// Each type, as stored.
    case invoicePayment = "invoice_payment", refund, chargeback, adjustment, transfer
}

/// Where a payment is in its processing.
public enum PaymentStatus: String, StoredEnum {
    /// Each status, as stored.
    case pending, processing, completed, failed, cancelled, refunded
    /// Part of it was refunded.
    case partiallyRefunded = "partially_refunded"
}

/// Money received (or returned), usually against an invoice.
public struct Payment: Sendable, Hashable, Decodable {
    /// The payment's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who recorded it.
    public let userID: UUID
    /// The invoice it pays.
    public let invoiceID: UUID?
    /// The configured payment method used, if any.
    public let paymentMethodID: UUID?
    /// What it is for.
    public let paymentType: PaymentType
    /// How the money came.
    public let method: PaymentMethodType
    /// How much.
    public let amount: PGNumeric
    /// In which currency (ISO 4217).
    public let currency: String
    /// The processor's fee.
    public let processingFee: PGNumeric
    /// ``amount`` less ``processingFee``.
    public let netAmount: PGNumeric
    /// Where it is in its processing.
    public var status: PaymentStatus
    /// The processor's or bank's reference.
    public var reference: String?
    /// The key of the request that recorded it; a retry with the same key finds this payment.
    public let idempotencyKey: String?
    /// When it was processed.
    public var processedAt: Date?
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Payment: StoredRecord {
    static let relation = "payments"
    static let columns = """
        id, organization_id, user_id, invoice_id, payment_method_id, payment_type, method,
        amount, currency, processing_fee, net_amount, status, reference, idempotency_key,
        processed_at, notes, created_at, updated_at
        """
}
