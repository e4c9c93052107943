public import FoundationEssentials
public import PGWire

/// Where a campaign's ads run.
public enum CampaignChannel: String, StoredEnum {
    /// Each channel, as stored.
    case google, meta, linkedin, email, other
}

/// Where a campaign is in its life.
public enum CampaignStatus: String, StoredEnum {
    /// Each status, as stored.
    case draft, active, paused, completed
}

/// A marketing campaign: a budget spent on one channel between two days, through its ad groups.
public struct Campaign: Sendable, Hashable, Decodable {
    /// The campaign's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who created it.
    public let userID: UUID
    /// Its name.
    public var name: String
    /// Where its ads run.
    public var channel: CampaignChannel
    /// What it may spend over its whole run.
    public var budget: PGNumeric
    /// The currency of the budget and of its ad groups' bids (ISO 4217).
    public var currency: String
    /// The first day it runs.
    public var startDate: PGDate
    /// The last day it runs (`nil`: until stopped); never before ``startDate``.
    public var endDate: PGDate?
    /// Where it is in its life.
    public var status: CampaignStatus
    /// What it is for.
    public var description: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Campaign: StoredRecord {
    static let relation = "campaigns"
    static let columns = """
        id, organization_id, user_id, name, channel, budget, currency, start_date, end_date,
        status, description, created_at, updated_at
        """
}
