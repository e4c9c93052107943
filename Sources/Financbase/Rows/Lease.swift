public import FoundationEssentials
public import PGWire

/// Where a lease is in its life.
public enum LeaseStatus: String, StoredEnum {
    /// Each status, as stored.
    case draft, active, ended, terminated
}

/// A unit let to a renter for a term, at a monthly rent. Two active leases of one unit never
/// overlap: the server refuses the second (SQLSTATE 23P01, exclusion violation).
public struct Lease: Sendable, Hashable, Decodable {
    /// The lease's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The unit let.
    public var unitID: UUID
    /// Who rents it.
    public var renterID: UUID
    /// The first day of the term.
    public var startsOn: PGDate
    /// The last day of the term (included), after ``startsOn``.
    public var endsOn: PGDate
    /// The rent per month.
    public var monthlyRent: PGNumeric
    /// In which currency (ISO 4217).
    public var currency: String
    /// The deposit held.
    public var deposit: PGNumeric
    /// Where the lease is in its life.
    public var status: LeaseStatus
    /// The day of each month the rent is due (1–28).
    public var paymentDay: Int32
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Lease: StoredRecord {
    static let relation = "leases"
    static let columns = """
        id, organization_id, unit_id, renter_id, starts_on, ends_on, monthly_rent, currency, deposit, status,
        payment_day, notes, created_at, updated_at
        """
}
