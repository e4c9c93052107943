public import FoundationEssentials
public import PGWire

/// One unit on the rent roll of a day: the unit, and the active lease covering that day with its
/// renter, or no lease for a vacant unit.
public struct RentRollLine: Sendable, Hashable, Decodable {
    /// The property.
    public let propertyID: UUID
    /// Its name.
    public let propertyName: String
    /// The unit.
    public let unitID: UUID
    /// Its label.
    public let unitLabel: String
    /// Its status as last recorded (the lease decides whether it is let on the day).
    public let unitStatus: RentalUnitStatus
    /// What it would let for, per month.
    public let marketRent: PGNumeric
    /// The active lease covering the day; `nil` when the unit is vacant then.
    public let leaseID: UUID?
    /// The renter of that lease.
    public let renterID: UUID?
    /// The renter's name.
    public let renterName: String?
    /// The lease's rent per month.
    public let monthlyRent: PGNumeric?
    /// The deposit held under the lease.
    public let deposit: PGNumeric?
    /// The first day of the lease.
    public let leaseStart: PGDate?
    /// The last day of the lease.
    public let leaseEnd: PGDate?
    /// The currency of the amounts: the lease's, else the unit's.
    public let currency: String
}
