public import FoundationEssentials
import PGClient

/// The steps of the current organization's workflow runs; whoever may write a run writes its
/// step runs.
public struct WorkflowStepRunRepository: Sendable {
    let session: TenantSession

    /// Records the step `stepID` of the run `runID`; the step must be one of the run's workflow.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when the tenant has no such run,
    ///   no such step, or the step belongs to another workflow; `PGError` with SQLSTATE 23505
    ///   for a step the run already recorded; 23514 for timings and a status that do not fit
    ///   (a running step has not finished, nothing finishes before it starts, only a failed
    ///   step has an error) or negative attempts; 42501 for a context that may not write the run.
    public func create(
        runID: UUID, stepID: UUID, status: WorkflowStepRunStatus = .pending, attempts: Int32 = 0,
        error: String? = nil, startedAt: Date? = nil, finishedAt: Date? = nil
    ) async throws -> WorkflowStepRun {
        // The run and the step are matched on their workflow here, so a step of another
        // workflow inserts nothing.
        let rows = try await session.rows(
            "workflowStepRuns.create",
            """
            INSERT INTO financbase.workflow_step_runs
                (organization_id, run_id, step_id, status, attempts, error, started_at, finished_at)
            SELECT r.organization_id, r.id, s.id, \(status), \(attempts), \(error), \(startedAt), \(finishedAt)
            FROM financbase.workflow_runs r
            JOIN financbase.workflow_steps s ON s.organization_id = r.organization_id
                AND s.definition_id = r.definition_id
            WHERE r.id = \(runID) AND s.id = \(stepID)
            RETURNING \(columnsOf: WorkflowStepRun.self)
            """)
        guard let row = rows.first else {
            throw RepositoryError.invalidArgument(
                reason:
                    "step \(stepID) is not a step of the workflow of run \(runID), or either is unknown"
            )
        }
        return try row.decode(as: WorkflowStepRun.self)
    }

    /// The step run with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> WorkflowStepRun {
        try await session.fetch(WorkflowStepRun.self, "workflowStepRuns.get", id: id)
    }

    /// The step runs of the run `runID`, in the order of their steps (none for an unknown run).
    public func stepRuns(of runID: UUID) async throws -> [WorkflowStepRun] {
        try await session.records(
            WorkflowStepRun.self, "workflowStepRuns.ofRun",
            """
            SELECT \(columnsOf: WorkflowStepRun.self) FROM financbase.workflow_step_runs sr
            WHERE run_id = \(runID)
            ORDER BY (SELECT s.position FROM financbase.workflow_steps s
                      WHERE s.organization_id = sr.organization_id AND s.id = sr.step_id)
            """)
    }

    /// Saves the status, attempts, error and timings of `stepRun`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (23514) as
    ///   ``create(runID:stepID:status:attempts:error:startedAt:finishedAt:)``.
    public func update(_ stepRun: WorkflowStepRun) async throws -> WorkflowStepRun {
        try await session.record(
            WorkflowStepRun.self, "workflowStepRuns.update", entity: "workflow_step_runs",
            id: stepRun.id,
            """
            UPDATE financbase.workflow_step_runs
            SET status = \(stepRun.status), attempts = \(stepRun.attempts), error = \(stepRun.error),
                started_at = \(stepRun.startedAt), finished_at = \(stepRun.finishedAt)
            WHERE id = \(stepRun.id) RETURNING \(columnsOf: WorkflowStepRun.self)
            """)
    }

    /// Deletes the step run with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("workflowStepRuns.delete", table: "workflow_step_runs", id: id)
    }

    /// A page of step runs in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<
        WorkflowStepRun
    > {
        try await session.page(
            WorkflowStepRun.self, "workflowStepRuns.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The steps of the current organization's workflow runs.
    public var workflowStepRuns: WorkflowStepRunRepository {
        WorkflowStepRunRepository(session: session)
    }
}
