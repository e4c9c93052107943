public import FoundationEssentials
public import PGWire

/// One line of the organization's activity log: who did what to which thing. Entries are only
/// ever added: nobody, administrators included, changes or removes one.
public struct ActivityEntry: Sendable, Hashable, Decodable {
    /// The entry's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// Who did it.
    public let userID: UUID
    /// What was done, as `entity.verb` (`invoice.sent`).
    public let action: String
    /// The kind of thing it was done to (`invoice`).
    public let entityType: String
    /// The thing, when it has an id.
    public let entityID: UUID?
    /// What else is worth keeping, as JSON.
    public let details: PGJSON
    /// When it was done.
    public let createdAt: Date
}

/// How often an action was taken in a period.
public struct ActivityCount: Sendable, Hashable, Decodable {
    /// The action (`invoice.sent`).
    public let action: String
    /// How many times.
    public let count: Int64
    /// By how many different users.
    public let users: Int64
}

extension ActivityEntry: StoredRecord {
    static let relation = "activity_log"
    static let columns = "id, organization_id, user_id, action, entity_type, entity_id, details, created_at"
}
