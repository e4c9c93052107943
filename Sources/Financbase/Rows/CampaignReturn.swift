public import FoundationEssentials
public import PGWire

/// What one campaign spent and brought back over a period, in one currency.
public struct CampaignReturn: Sendable, Hashable, Decodable {
    /// The campaign's id.
    public let campaignID: UUID
    /// The campaign's name.
    public let campaignName: String
    /// Where its ads ran.
    public let channel: CampaignChannel
    /// The currency of the sums.
    public let currency: String
    /// What it cost.
    public let spend: PGNumeric
    /// What its conversions were worth.
    public let revenue: PGNumeric
    /// ``revenue`` / ``spend``, to 4 decimals (1.5000: 1.50 back per 1.00 spent); `nil` when
    /// nothing was spent.
    public let returnOnSpend: PGNumeric?
    /// How many times its ads were shown.
    public let impressions: Int64
    /// How many times they were clicked.
    public let clicks: Int64
    /// How many clicks converted.
    public let conversions: Int64
    /// ``clicks`` / ``impressions``, to 4 decimals (0.0250: 2.5 %); `nil` without impressions.
    public let clickThroughRate: PGNumeric?
}
