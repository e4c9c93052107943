public import FoundationEssentials

/// How a notification presents itself.
public enum NotificationKind: String, StoredEnum {
    /// Each kind, as stored.
    case info, success, warning
    /// Asks the user to do something.
    case actionRequired = "action_required"
}

/// A message in one user's inbox; only that user reads, marks or deletes it.
public struct UserNotification: Sendable, Hashable, Decodable {
    /// The notification's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The recipient.
    public let userID: UUID
    /// How it presents itself.
    public let kind: NotificationKind
    /// Its title.
    public let title: String
    /// Its text.
    public let body: String
    /// Where it leads in the dashboard.
    public let link: String?
    /// The kind of thing it is about (`invoice`), with ``entityID``.
    public let entityType: String?
    /// The thing it is about.
    public let entityID: UUID?
    /// When the recipient read it (`nil`: unread).
    public var readAt: Date?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension UserNotification: StoredRecord {
    static let relation = "notifications"
    static let columns = """
        id, organization_id, user_id, kind, title, body, link, entity_type, entity_id, read_at, created_at,
        updated_at
        """
}
