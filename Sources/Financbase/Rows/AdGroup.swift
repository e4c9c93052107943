public import FoundationEssentials
public import PGWire

/// Whether an ad group's ads are served.
public enum AdGroupStatus: String, StoredEnum {
    /// Each status, as stored.
    case active, paused, archived
}

/// A set of ads of one campaign that share a target and a bid.
public struct AdGroup: Sendable, Hashable, Decodable {
    /// The ad group's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The campaign it belongs to.
    public var campaignID: UUID
    /// Its name.
    public var name: String
    /// Whether its ads are served.
    public var status: AdGroupStatus
    /// The most it pays per click, in the campaign's currency (`nil`: the platform bids).
    public var bid: PGNumeric?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension AdGroup: StoredRecord {
    static let relation = "ad_groups"
    static let columns = "id, organization_id, campaign_id, name, status, bid, created_at, updated_at"
}
