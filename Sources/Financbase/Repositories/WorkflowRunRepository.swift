public import FoundationEssentials
import PGWire
import PGClient

/// The runs of the current organization's workflows, the failed ones and how long they take;
/// every member writes them (starts, cancels and retries runs).
public struct WorkflowRunRepository: Sendable {
    let session: TenantSession

    /// Records a run of the workflow `definitionID`, started by `triggerID` (none: by hand).
    ///
    /// - Throws: `PGError` with SQLSTATE 23503 for a workflow or trigger of another organization
    ///   (or none); 23514 for timings and a status that do not fit (a queued run has not
    ///   started, a running one has not finished, a succeeded or failed one has, only a failed
    ///   one has an error, nothing finishes before it starts) or a negative attempt count;
    ///   42501 for a viewer.
    public func create(
        definitionID: UUID, triggerID: UUID? = nil, status: WorkflowRunStatus = .queued,
        startedAt: Date? = nil,
        finishedAt: Date? = nil, error: String? = nil, attemptCount: Int32 = 0
    ) async throws -> WorkflowRun {
        let context = session.context
        return try await session.record(
            WorkflowRun.self, "workflowRuns.create", entity: "workflow_definitions",
            id: definitionID,
            """
            INSERT INTO financbase.workflow_runs
                (organization_id, definition_id, trigger_id, status, started_at, finished_at, error, attempt_count)
            VALUES (\(context.organizationID), \(definitionID), \(triggerID), \(status), \(startedAt), \(finishedAt),
                    \(error), \(attemptCount))
            RETURNING \(columnsOf: WorkflowRun.self)
            """)
    }

    /// The run with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> WorkflowRun {
        try await session.fetch(WorkflowRun.self, "workflowRuns.get", id: id)
    }

    /// Saves the status, timings, error and attempt count of `run`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` as
    ///   ``create(definitionID:triggerID:status:startedAt:finishedAt:error:attemptCount:)``.
    public func update(_ run: WorkflowRun) async throws -> WorkflowRun {
        try await session.record(
            WorkflowRun.self, "workflowRuns.update", entity: "workflow_runs", id: run.id,
            """
            UPDATE financbase.workflow_runs
            SET status = \(run.status), started_at = \(run.startedAt), finished_at = \(run.finishedAt),
                error = \(run.error), attempt_count = \(run.attemptCount)
            WHERE id = \(run.id) RETURNING \(columnsOf: WorkflowRun.self)
            """)
    }

    /// Deletes the run with `id` and its step runs.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("workflowRuns.delete", table: "workflow_runs", id: id)
    }

    /// A page of runs in the order they were queued.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<WorkflowRun>
    {
        try await session.page(WorkflowRun.self, "workflowRuns.list", after: cursor, limit: limit)
    }

    /// The runs that failed at `from` or later and before `to`, newest first, with their
    /// workflow's name and error: `limit` of them after `cursor` (the page before's `next`).
    ///
    /// ```swift
    /// var page = try await repos.workflowRuns.failed(from: monthStart, to: now)
    /// while let next = page.next { page = try await repos.workflowRuns.failed(from: monthStart, to: now, after: next) }
    /// ```
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000, a
    ///   period that holds no instant (`to` not after `from`) or a `to` outside PostgreSQL's
    ///   timestamps.
    public func failed(from: Date, to: Date, after cursor: FailedRunCursor? = nil, limit: Int = 50)
        async throws -> FailedRunPage
    {
        try RepositoryError.checkLimit(limit)
        try RepositoryError.checkPeriod(from: from, to: to)
        let start: FailedRunCursor
        if let cursor {
            start = cursor
        } else {
            guard let end = PGTimestamp(to) else {
                throw RepositoryError.invalidArgument(
                    reason: "\(to) is outside PostgreSQL's timestamps")
            }
            start = FailedRunCursor(finishedAt: end, id: Self.lowestID)
        }
        // One more row than asked says whether another page follows.
        let rows = try await session.rows(
            "workflowRuns.failed", Self.failedQuery(from: from, before: start, limit: limit + 1))
        let shown = rows.prefix(limit)
        var next: FailedRunCursor?
        if rows.count > limit, let last = shown.last {
            next = FailedRunCursor(
                finishedAt: try last.decode(PGTimestamp.self, column: "cursor_finished_at"),
                id: try last.decode(UUID.self, column: "id"))
        }
        return FailedRunPage(
            rows: try shown.map { row throws(PGError) in try row.decode(as: FailedWorkflowRun.self)
            }, next: next)
    }

    /// The smallest UUID: `(to, lowestID)` comes after every run that failed before `to`.
    static let lowestID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// The statement of ``failed(from:to:after:limit:)``, as sent; the plan tests explain it.
    /// The first page is the one after `(to, lowestID)`, so every page is the same statement.
    /// The newest `limit` failures are picked first (the tenant's failed runs have an index of
    /// their own, read backwards), then meet their workflow.
    static func failedQuery(from: Date, before cursor: FailedRunCursor, limit: Int) -> PGQuery {
        """
        SELECT f.id, f.definition_id, d.name AS definition_name, f.trigger_id, f.started_at, f.finished_at,
               f.attempt_count, f.error, f.finished_at AS cursor_finished_at
        FROM (
            SELECT r.organization_id, r.id, r.definition_id, r.trigger_id, r.started_at, r.finished_at,
                   r.attempt_count, r.error
            FROM financbase.workflow_runs r
            WHERE r.status = 'failed' AND r.finished_at >= \(from)
              AND (r.finished_at, r.id) < (\(cursor.finishedAt), \(cursor.id))
            ORDER BY r.finished_at DESC, r.id DESC
            LIMIT \(limit)
        ) f
        JOIN financbase.workflow_definitions d ON d.organization_id = f.organization_id AND d.id = f.definition_id
        ORDER BY f.finished_at DESC, f.id DESC
        """
    }

    /// Per workflow, over the runs that started at `from` or later and before `to` and finished
    /// (succeeded or failed): how many, and the 50th, 90th and 99th percentiles of their run
    /// time, by workflow name.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a period that holds no instant.
    public func runTimes(from: Date, to: Date) async throws -> [WorkflowRunTimes] {
        try RepositoryError.checkPeriod(from: from, to: to)
        return try await session.records(
            WorkflowRunTimes.self, "workflowRuns.runTimes", Self.runTimesQuery(from: from, to: to))
    }

    /// The statement of ``runTimes(from:to:)``, as sent; the plan tests explain it. The index of
    /// the workflow's foreign key includes the finish time and status, so the runs are read
    /// from it alone.
    static func runTimesQuery(from: Date, to: Date) -> PGQuery {
        """
        SELECT r.definition_id, d.name AS definition_name, count(*) AS runs,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at)::float8)
                   AS p50_seconds,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at)::float8)
                   AS p90_seconds,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at)::float8)
                   AS p99_seconds
        FROM financbase.workflow_runs r
        JOIN financbase.workflow_definitions d ON d.organization_id = r.organization_id AND d.id = r.definition_id
        WHERE r.status IN ('succeeded', 'failed') AND r.started_at >= \(from) AND r.started_at < \(to)
        GROUP BY r.definition_id, d.name
        ORDER BY d.name, r.definition_id
        """
    }
}

extension TenantRepositories {
    /// The runs of the current organization's workflows.
    public var workflowRuns: WorkflowRunRepository { WorkflowRunRepository(session: session) }
}
