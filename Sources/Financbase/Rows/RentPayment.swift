public import FoundationEssentials
public import PGWire

/// Where the rent of one month of a lease stands. The server keeps it consistent with the
/// amounts: `paid` exactly when the amount paid reaches the amount due, `partial` only with
/// something paid.
public enum RentPaymentStatus: String, StoredEnum {
    /// Charged, not yet due or not yet chased.
    case due
    /// Paid in full.
    case paid
    /// Partly paid.
    case partial
    /// Past its payment day and not paid in full.
    case late
}

/// The rent of one month of a lease: what was due and what came in.
public struct RentPayment: Sendable, Hashable, Decodable {
    /// The row's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The lease it is charged on.
    public let leaseID: UUID
    /// The month it is for, as its first day; one row per lease and month.
    public let periodMonth: PGDate
    /// The rent due for the month.
    public var amountDue: PGNumeric
    /// What has been paid of it.
    public var amountPaid: PGNumeric
    /// In which currency (ISO 4217), the lease's.
    public let currency: String
    /// The day the last payment came in; `nil` while nothing is paid.
    public var paidOn: PGDate?
    /// Where it stands.
    public var status: RentPaymentStatus
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension RentPayment: StoredRecord {
    static let relation = "rent_payments"
    static let columns = """
        id, organization_id, lease_id, period_month, amount_due, amount_paid, currency, paid_on, status,
        created_at, updated_at
        """
}
