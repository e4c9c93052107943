public import FoundationEssentials
import PGClient

/// The context user's own inbox. Nobody else reads it or writes to it: a notification for a
/// user is delivered in a unit of work of that user.
public struct NotificationRepository: Sendable {
    let session: TenantSession

    /// Delivers a notification to the context's user.
    ///
    /// - Throws: `PGError` `check_violation` for an empty or over-long title, or an entity type
    ///   without an id (or the other way round); `insufficient_privilege` (42501) for a viewer,
    ///   who writes nothing.
    public func create(
        title: String, body: String = "", kind: NotificationKind = .info, link: String? = nil,
        entityType: String? = nil, entityID: UUID? = nil
    ) async throws -> UserNotification {
        let context = session.context
        return try await session.record(
            UserNotification.self, "notifications.create", entity: "notifications", id: context.userID,
            """
            INSERT INTO financbase.notifications
                (organization_id, user_id, kind, title, body, link, entity_type, entity_id)
            VALUES (\(context.organizationID), \(context.userID), \(kind), \(title), \(body), \(link),
                    \(entityType), \(entityID))
            RETURNING \(columnsOf: UserNotification.self)
            """)
    }

    /// The notification with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` (also for another user's).
    public func get(_ id: UUID) async throws -> UserNotification {
        try await session.fetch(UserNotification.self, "notifications.get", id: id)
    }

    /// Marks the notification `id` read (keeping the first time it was read).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func markRead(_ id: UUID) async throws -> UserNotification {
        try await session.record(
            UserNotification.self, "notifications.markRead", entity: "notifications", id: id,
            """
            UPDATE financbase.notifications SET read_at = coalesce(read_at, now()) WHERE id = \(id)
            RETURNING \(columnsOf: UserNotification.self)
            """)
    }

    /// Marks every unread notification read; returns how many were.
    public func markAllRead() async throws -> Int64 {
        try await session.execute(
            "notifications.markAllRead",
            "UPDATE financbase.notifications SET read_at = now() WHERE read_at IS NULL"
        ).rowCount ?? 0
    }

    /// Deletes the notification `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("notifications.delete", table: "notifications", id: id)
    }

    /// A page of the inbox in the order it was delivered.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<UserNotification> {
        try await session.page(UserNotification.self, "notifications.list", after: cursor, limit: limit)
    }

    /// The newest `limit` notifications, unread ones only when `unreadOnly`.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func inbox(unreadOnly: Bool = false, limit: Int = 20) async throws -> [UserNotification] {
        try RepositoryError.checkLimit(limit)
        return try await session.records(
            UserNotification.self, "notifications.inbox", Self.inboxQuery(unreadOnly: unreadOnly, limit: limit))
    }

    /// The statement of ``inbox(unreadOnly:limit:)``, as sent; the plan tests explain it.
    static func inboxQuery(unreadOnly: Bool, limit: Int) -> PGQuery {
        """
        SELECT \(columnsOf: UserNotification.self) FROM financbase.notifications
        WHERE user_id = (SELECT app.current_user_id()) AND (NOT \(unreadOnly) OR read_at IS NULL)
        ORDER BY created_at DESC, id DESC LIMIT \(limit)
        """
    }

    /// How many notifications are unread.
    public func unreadCount() async throws -> Int64 {
        try await session.rows(
            "notifications.unreadCount",
            """
            SELECT count(*) FROM financbase.notifications
            WHERE user_id = (SELECT app.current_user_id()) AND read_at IS NULL
            """
        ).first?.decode(Int64.self, at: 0) ?? 0
    }
}

extension TenantRepositories {
    /// The context user's notifications.
    public var notifications: NotificationRepository { NotificationRepository(session: session) }
}
