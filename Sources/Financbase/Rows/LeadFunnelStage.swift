public import PGWire

/// The leads of one stage and currency in the funnel.
public struct LeadFunnelStage: Sendable, Hashable, Decodable {
    /// The stage.
    public let stage: LeadStage
    /// The currency of ``value``.
    public let currency: String
    /// How many leads are at that stage.
    public let count: Int64
    /// The sum of their estimated values, exact.
    public let value: PGNumeric
}
