public import FoundationEssentials
public import PGWire

/// A run that failed, with its workflow's name.
public struct FailedWorkflowRun: Sendable, Hashable, Decodable {
    /// The run.
    public let id: UUID
    /// Its workflow.
    public let definitionID: UUID
    /// The workflow's name.
    public let definitionName: String
    /// What started it, if a trigger did.
    public let triggerID: UUID?
    /// When it started.
    public let startedAt: Date
    /// When it failed.
    public let finishedAt: Date
    /// How many times it was attempted.
    public let attemptCount: Int32
    /// Why it failed.
    public let error: String?
}

/// A position in the failed runs of a period, newest first: the last run of the page before.
///
/// Exact to the microsecond (a `Date` is not), so a page never repeats or skips a run.
public struct FailedRunCursor: Sendable, Hashable {
    /// When the last run seen failed.
    public let finishedAt: PGTimestamp
    /// The last run seen.
    public let id: UUID

    /// Creates a cursor after the run `id`, which failed at `finishedAt`.
    public init(finishedAt: PGTimestamp, id: UUID) {
        self.finishedAt = finishedAt
        self.id = id
    }
}

/// One page of failed runs, newest first.
public struct FailedRunPage: Sendable {
    /// The runs of this page.
    public let rows: [FailedWorkflowRun]
    /// Where the next (older) page starts; `nil` on the last page.
    public let next: FailedRunCursor?
}
