public import FoundationEssentials
public import PGWire
import PGClient

/// The organization's activity log: entries are added by the user they name and read by
/// everyone of the organization; the server refuses to change or remove one.
public struct ActivityRepository: Sendable {
    let session: TenantSession

    /// Records that the context's user did `action` (`entity.verb`, e.g. `invoice.sent`) to the
    /// `entityType` thing `entityID`.
    ///
    /// - Throws: `PGError` `check_violation` for an action not of the form `entity.verb`;
    ///   `insufficient_privilege` (42501) for a viewer, who writes nothing.
    public func record(
        _ action: String, entityType: String, entityID: UUID? = nil, details: PGJSON = PGJSON("{}")
    ) async throws -> ActivityEntry {
        let context = session.context
        return try await session.record(
            ActivityEntry.self, "activity.record", entity: "activity_log", id: context.userID,
            """
            INSERT INTO financbase.activity_log (organization_id, user_id, action, entity_type, entity_id, details)
            VALUES (\(context.organizationID), \(context.userID), \(action), \(entityType), \(entityID), \(details))
            RETURNING \(columnsOf: ActivityEntry.self)
            """)
    }

    /// The entry with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> ActivityEntry {
        try await session.fetch(ActivityEntry.self, "activity.get", id: id)
    }

    /// A page of the log, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<ActivityEntry> {
        try await session.page(ActivityEntry.self, "activity.list", after: cursor, limit: limit)
    }

    /// The entries about one thing, oldest first.
    public func history(of entityType: String, id: UUID) async throws -> [ActivityEntry] {
        try await session.records(
            ActivityEntry.self, "activity.history",
            """
            SELECT \(columnsOf: ActivityEntry.self) FROM financbase.activity_log
            WHERE entity_type = \(entityType) AND entity_id = \(id)
            ORDER BY created_at, id
            """)
    }

    /// How often each action was taken with `from <= created_at < to`, most frequent first.
    public func countsByAction(from: Date, to: Date) async throws -> [ActivityCount] {
        try await session.records(
            ActivityCount.self, "activity.countsByAction", Self.countsByActionQuery(from: from, to: to))
    }

    /// The statement of ``countsByAction(from:to:)``, as sent; the plan tests explain it.
    static func countsByActionQuery(from: Date, to: Date) -> PGQuery {
        """
        SELECT action, count(*) AS count, count(DISTINCT user_id) AS users
        FROM financbase.activity_log
        WHERE created_at >= \(from) AND created_at < \(to)
        GROUP BY action
        ORDER BY count DESC, action
        """
    }
}

extension TenantRepositories {
    /// The organization's activity log.
    public var activity: ActivityRepository { ActivityRepository(session: session) }
}
