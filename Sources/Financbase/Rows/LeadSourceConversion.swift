public import PGWire

/// How the leads of one source converted.
public struct LeadSourceConversion: Sendable, Hashable, Decodable {
    /// Where they came from.
    public let source: LeadSource
    /// How many leads.
    public let leads: Int64
    /// How many of them were won.
    public let won: Int64
    /// How many of them were lost.
    public let lost: Int64
    /// ``won`` / ``leads``, to 4 decimals (0.2500: one in four).
    public let rate: PGNumeric
}
