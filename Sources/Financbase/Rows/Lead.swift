public import FoundationEssentials
public import PGWire

/// Where a lead came from.
public enum LeadSource: String, StoredEnum {
    /// Each source, as stored.
    case website, referral, campaign, event, coldOutreach = "cold_outreach", other
}

/// How far a lead went in the sales pipeline, in the pipeline's order.
public enum LeadStage: String, StoredEnum {
    /// Each stage, as stored; `won` and `lost` close the lead.
    case new, contacted, qualified, proposal, won, lost
}

/// A prospective client in the sales pipeline, worked by its owner.
public struct Lead: Sendable, Hashable, Decodable {
    /// The lead's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The owner: the salesperson working it (only an admin gives it to someone else).
    public var userID: UUID
    /// The person's name.
    public var name: String
    /// Their e-mail.
    public var email: String?
    /// Their company.
    public var company: String?
    /// Where it came from.
    public var source: LeadSource
    /// The campaign it came from (only when ``source`` is `campaign`).
    public var campaignID: UUID?
    /// How far it went.
    public var stage: LeadStage
    /// The day it came in; the funnel counts leads by it.
    public var capturedOn: PGDate
    /// What winning it would be worth.
    public var estimatedValue: PGNumeric
    /// The currency of ``estimatedValue`` (ISO 4217).
    public var currency: String
    /// The client it became (only once ``stage`` is `won`).
    public var convertedClientID: UUID?
    /// Free notes.
    public var notes: String?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Lead: StoredRecord {
    static let relation = "leads"
    static let columns = """
        id, organization_id, user_id, name, email, company, source, campaign_id, stage,
        captured_on, estimated_value, currency, converted_client_id, notes, created_at, updated_at
        """
}
