public import FoundationEssentials
public import PGWire

/// What one lease owes on a day: the rent of the months due by then, less what was paid of it.
public struct LeaseArrears: Sendable, Hashable, Decodable {
    /// The lease.
    public let leaseID: UUID
    /// Its property's name.
    public let propertyName: String
    /// Its unit's label.
    public let unitLabel: String
    /// Its renter.
    public let renterID: UUID
    /// The renter's name.
    public let renterName: String
    /// The currency of the amounts.
    public let currency: String
    /// How many months are not paid in full.
    public let unpaidPeriods: Int64
    /// The rent due for those months.
    public let due: PGNumeric
    /// What was paid of it.
    public let paid: PGNumeric
    /// `due − paid`, above zero.
    public let balance: PGNumeric
    /// The earliest of those months (its first day).
    public let oldestUnpaidPeriod: PGDate
}
