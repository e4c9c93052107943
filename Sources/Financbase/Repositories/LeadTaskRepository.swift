public import FoundationEssentials
public import PGWire
import PGClient

/// The follow-ups to do for the current organization's leads.
public struct LeadTaskRepository: Sendable {
    let session: TenantSession

    /// Creates a follow-up for the lead `leadID`, due on `dueDate`, assigned to `assigneeID`
    /// (the context's user when `nil`).
    ///
    /// - Throws: `PGError` `42501` when a user (not an admin) assigns it to someone else or its
    ///   role writes nothing; `23503` for a lead or assignee of another organization; `23514`
    ///   for an empty title.
    public func create(
        leadID: UUID, title: String, dueDate: PGDate, assigneeID: UUID? = nil
    ) async throws -> LeadTask {
        let context = session.context
        return try await session.record(
            LeadTask.self, "leadTasks.create", entity: "leads", id: leadID,
            """
            INSERT INTO financbase.lead_tasks (organization_id, lead_id, user_id, title, due_date)
            VALUES (\(context.organizationID), \(leadID), \(assigneeID ?? context.userID), \(title), \(dueDate))
            RETURNING \(columnsOf: LeadTask.self)
            """)
    }

    /// The follow-up with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> LeadTask {
        try await session.fetch(LeadTask.self, "leadTasks.get", id: id)
    }

    /// The follow-ups of the lead `leadID`, by due date.
    public func forLead(_ leadID: UUID) async throws -> [LeadTask] {
        try await session.records(
            LeadTask.self, "leadTasks.forLead",
            """
            SELECT \(columnsOf: LeadTask.self) FROM financbase.lead_tasks
            WHERE lead_id = \(leadID) ORDER BY due_date, id
            """)
    }

    /// Saves the changeable fields of `task`, its assignee included (a reassignment, which only
    /// an admin may make).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for a task the tenant cannot see or a
    ///   colleague's; `PGError` `42501` when a user hands its task to someone else, `23514` when
    ///   ``LeadTask/done`` and ``LeadTask/doneAt`` disagree.
    public func update(_ task: LeadTask) async throws -> LeadTask {
        try await session.record(
            LeadTask.self, "leadTasks.update", entity: "lead_tasks", id: task.id,
            """
            UPDATE financbase.lead_tasks
            SET user_id = \(task.userID), title = \(task.title), due_date = \(task.dueDate), done = \(task.done),
                done_at = \(task.doneAt)
            WHERE id = \(task.id) RETURNING \(columnsOf: LeadTask.self)
            """)
    }

    /// Marks the follow-up `id` done at `doneAt`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for a task the tenant cannot see or a
    ///   colleague's.
    public func complete(_ id: UUID, at doneAt: Date = Date()) async throws -> LeadTask {
        try await session.record(
            LeadTask.self, "leadTasks.complete", entity: "lead_tasks", id: id,
            """
            UPDATE financbase.lead_tasks SET done = true, done_at = \(doneAt)
            WHERE id = \(id) RETURNING \(columnsOf: LeadTask.self)
            """)
    }

    /// Deletes the follow-up with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` (also for a colleague's).
    public func delete(_ id: UUID) async throws {
        try await session.delete("leadTasks.delete", table: "lead_tasks", id: id)
    }

    /// A page of follow-ups in the order they were created.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<LeadTask> {
        try await session.page(LeadTask.self, "leadTasks.list", after: cursor, limit: limit)
    }

    /// The follow-ups not done and due before `asOf`, with their lead and assignee, the
    /// longest overdue first (at most `limit`).
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func overdue(asOf: PGDate, limit: Int = 50) async throws -> [OverdueLeadTask] {
        try RepositoryError.checkLimit(limit)
        return try await session.records(
            OverdueLeadTask.self, "leadTasks.overdue", Self.overdueQuery(asOf: asOf, limit: limit))
    }

    /// The statement of ``overdue(asOf:limit:)``, as sent; the plan tests explain it.
    static func overdueQuery(asOf: PGDate, limit: Int) -> PGQuery {
        // The tenant's open follow-ups in due order, cut to `limit` before anything is joined.
        """
        SELECT t.id, t.title, t.due_date, \(asOf) - t.due_date AS days_overdue, t.lead_id, l.name AS lead_name,
               l.stage AS lead_stage, t.user_id AS assignee_id,
               nullif(btrim(concat_ws(' ', u.first_name, u.last_name)), '') AS assignee_name, u.email AS assignee_email
        FROM (SELECT id, organization_id, lead_id, user_id, title, due_date FROM financbase.lead_tasks
              WHERE NOT done AND due_date < \(asOf) ORDER BY due_date, id LIMIT \(limit)) t
        JOIN financbase.leads l ON l.organization_id = t.organization_id AND l.id = t.lead_id
        JOIN financbase.users u ON u.organization_id = t.organization_id AND u.id = t.user_id
        ORDER BY t.due_date, t.id
        """
    }
}

extension TenantRepositories {
    /// The follow-ups to do for the current organization's leads.
    public var leadTasks: LeadTaskRepository { LeadTaskRepository(session: session) }
}
