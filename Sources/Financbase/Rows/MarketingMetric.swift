public import FoundationEssentials
public import PGWire

/// One ad's figures for one day, as its platform reported them.
public struct MarketingMetric: Sendable, Hashable, Decodable {
    /// The row's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The ad the figures are of.
    public let adID: UUID
    /// The day they are of (one row per ad and day).
    public let day: PGDate
    /// How many times the ad was shown.
    public var impressions: Int64
    /// How many times it was clicked (at most ``impressions``).
    public var clicks: Int64
    /// How many clicks led to a sale or a sign-up (at most ``clicks``).
    public var conversions: Int64
    /// What the day cost.
    public var spend: PGNumeric
    /// What the day's conversions were worth.
    public var revenue: PGNumeric
    /// The currency of ``spend`` and ``revenue`` (ISO 4217).
    public var currency: String
    /// When it was recorded.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension MarketingMetric: StoredRecord {
    static let relation = "marketing_metrics"
    static let columns = """
        id, organization_id, ad_id, day, impressions, clicks, conversions, spend, revenue,
        currency, created_at, updated_at
        """
}
