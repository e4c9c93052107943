public import FoundationEssentials
public import PGWire

/// A follow-up to do for a lead, by a day, by its assignee.
public struct LeadTask: Sendable, Hashable, Decodable {
    /// The task's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The lead it is for.
    public let leadID: UUID
    /// The assignee, whose to-do it is (only an admin assigns one to someone else).
    public var userID: UUID
    /// What to do.
    public var title: String
    /// The day it is due.
    public var dueDate: PGDate
    /// Whether it was done.
    public var done: Bool
    /// When it was done (set exactly when ``done`` is true).
    public var doneAt: Date?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension LeadTask: StoredRecord {
    static let relation = "lead_tasks"
    static let columns = "id, organization_id, lead_id, user_id, title, due_date, done, done_at, created_at, updated_at"
}
