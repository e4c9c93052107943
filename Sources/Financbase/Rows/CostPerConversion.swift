public import FoundationEssentials
public import PGWire

/// The level cost per conversion is computed at.
public enum MarketingLevel: String, Sendable, Hashable, CaseIterable {
    /// One row per campaign (and currency).
    case campaign
    /// One row per ad group (and currency), with its campaign.
    case adGroup
}

/// What a conversion cost one campaign, or one of its ad groups, over a period, in one currency.
public struct CostPerConversion: Sendable, Hashable, Decodable {
    /// The campaign's id.
    public let campaignID: UUID
    /// The campaign's name.
    public let campaignName: String
    /// The ad group's id (`nil` at the campaign level).
    public let adGroupID: UUID?
    /// The ad group's name (`nil` at the campaign level).
    public let adGroupName: String?
    /// The currency of the sums.
    public let currency: String
    /// What it cost.
    public let spend: PGNumeric
    /// How many clicks converted.
    public let conversions: Int64
    /// ``spend`` / ``conversions``, rounded to the cent; `nil` when nothing converted (not a
    /// division by zero).
    public let costPerConversion: PGNumeric?
}
