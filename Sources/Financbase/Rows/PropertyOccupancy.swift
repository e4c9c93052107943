public import FoundationEssentials
public import PGWire

/// How full one property is on a day: its units, and those an active lease covers that day.
public struct PropertyOccupancy: Sendable, Hashable, Decodable {
    /// The property.
    public let propertyID: UUID
    /// Its name.
    public let propertyName: String
    /// How many units it has.
    public let units: Int64
    /// How many of them an active lease covers on the day.
    public let occupied: Int64
    /// `occupied / units`, rounded to four decimals; `nil` for a property without units.
    public let rate: PGNumeric?
}
