public import FoundationEssentials

/// Where one step of a run is.
public enum WorkflowStepRunStatus: String, StoredEnum {
    /// Each status, as stored.
    case pending, running, succeeded, failed, skipped
}

/// One step of one run: its outcome, attempts and timings.
public struct WorkflowStepRun: Sendable, Hashable, Decodable {
    /// The row's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The run it is part of.
    public let runID: UUID
    /// The step of the run's workflow it ran; once per run.
    public let stepID: UUID
    /// Where it is.
    public var status: WorkflowStepRunStatus
    /// How many times it was attempted.
    public var attempts: Int32
    /// Why it failed (only when it failed).
    public var error: String?
    /// When it started.
    public var startedAt: Date?
    /// When it finished, not before it started.
    public var finishedAt: Date?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension WorkflowStepRun: StoredRecord {
    static let relation = "workflow_step_runs"
    static let columns = """
        id, organization_id, run_id, step_id, status, attempts, error, started_at, finished_at, created_at,
        updated_at
        """
}
