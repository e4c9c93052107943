public import FoundationEssentials
import PGWire
import PGClient

/// What the current organization's users did with its leads: calls, e-mails, meetings, notes.
public struct LeadActivityRepository: Sendable {
    let session: TenantSession

    /// Logs an activity of the context's user with the lead `leadID`.
    ///
    /// - Throws: `PGError` `23503` for a lead of another organization, `23514` for an empty
    ///   summary, `42501` for a role that writes nothing.
    public func create(
        leadID: UUID, kind: LeadActivityKind, occurredAt: Date, summary: String
    ) async throws -> LeadActivity {
        let context = session.context
        return try await session.record(
            LeadActivity.self, "leadActivities.create", entity: "leads", id: leadID,
            """
            INSERT INTO financbase.lead_activities (organization_id, lead_id, user_id, kind, occurred_at, summary)
            VALUES (\(context.organizationID), \(leadID), \(context.userID), \(kind), \(occurredAt), \(summary))
            RETURNING \(columnsOf: LeadActivity.self)
            """)
    }

    /// The activity with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> LeadActivity {
        try await session.fetch(LeadActivity.self, "leadActivities.get", id: id)
    }

    /// The activities with the lead `leadID`, the latest first.
    public func forLead(_ leadID: UUID) async throws -> [LeadActivity] {
        try await session.records(LeadActivity.self, "leadActivities.forLead", Self.forLeadQuery(leadID))
    }

    /// The statement of ``forLead(_:)``, as sent; the plan tests explain it.
    static func forLeadQuery(_ leadID: UUID) -> PGQuery {
        """
        SELECT \(columnsOf: LeadActivity.self) FROM financbase.lead_activities
        WHERE lead_id = \(leadID) ORDER BY occurred_at DESC, id
        """
    }

    /// Saves the kind, time and summary of `activity`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for an activity the tenant cannot see,
    ///   or a colleague's, which only its author or an admin may change; `PGError` `23514` for
    ///   an empty summary.
    public func update(_ activity: LeadActivity) async throws -> LeadActivity {
        try await session.record(
            LeadActivity.self, "leadActivities.update", entity: "lead_activities", id: activity.id,
            """
            UPDATE financbase.lead_activities
            SET kind = \(activity.kind), occurred_at = \(activity.occurredAt), summary = \(activity.summary)
            WHERE id = \(activity.id) RETURNING \(columnsOf: LeadActivity.self)
            """)
    }

    /// Deletes the activity with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` (also for a colleague's).
    public func delete(_ id: UUID) async throws {
        try await session.delete("leadActivities.delete", table: "lead_activities", id: id)
    }

    /// A page of activities in the order they were logged.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<LeadActivity> {
        try await session.page(LeadActivity.self, "leadActivities.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// What the current organization's users did with its leads.
    public var leadActivities: LeadActivityRepository { LeadActivityRepository(session: session) }
}
