public import FoundationEssentials

/// What kind of contact an activity was.
public enum LeadActivityKind: String, StoredEnum {
    /// Each kind, as stored.
    case call, email, meeting, note
}

/// Something a user did with a lead: a call, an e-mail, a meeting or a note.
public struct LeadActivity: Sendable, Hashable, Decodable {
    /// The activity's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The lead it was with.
    public let leadID: UUID
    /// Who did it (the owner of the row).
    public let userID: UUID
    /// What kind of contact it was.
    public var kind: LeadActivityKind
    /// When it happened.
    public var occurredAt: Date
    /// What was said or done.
    public var summary: String
    /// When it was logged.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension LeadActivity: StoredRecord {
    static let relation = "lead_activities"
    static let columns = "id, organization_id, lead_id, user_id, kind, occurred_at, summary, created_at, updated_at"
}
