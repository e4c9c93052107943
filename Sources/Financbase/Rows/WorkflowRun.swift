public import FoundationEssentials

/// Where a workflow run is. The server keeps the timings consistent with it: a queued run has
/// not started, a running one has started and not finished, a succeeded or failed one has
/// finished, and only a failed one carries an error.
public enum WorkflowRunStatus: String, StoredEnum {
    /// Each status, as stored.
    case queued, running, succeeded, failed, cancelled
}

/// One run of a workflow.
public struct WorkflowRun: Sendable, Hashable, Decodable {
    /// The run's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The workflow run.
    public let definitionID: UUID
    /// What started it; `nil` when started by hand, or when its trigger was deleted since.
    public let triggerID: UUID?
    /// Where it is.
    public var status: WorkflowRunStatus
    /// When it started.
    public var startedAt: Date?
    /// When it finished, not before it started.
    public var finishedAt: Date?
    /// Why it failed.
    public var error: String?
    /// How many times it was attempted.
    public var attemptCount: Int32
    /// When it was created (queued).
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension WorkflowRun: StoredRecord {
    static let relation = "workflow_runs"
    static let columns = """
        id, organization_id, definition_id, trigger_id, status, started_at, finished_at, error, attempt_count,
        created_at, updated_at
        """
}
