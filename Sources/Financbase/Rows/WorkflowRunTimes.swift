public import FoundationEssentials

/// How long one workflow's finished runs took over a period: how many, and the 50th, 90th and
/// 99th percentiles of `finished_at − started_at`, interpolated (`percentile_cont`).
public struct WorkflowRunTimes: Sendable, Hashable, Decodable {
    /// The workflow.
    public let definitionID: UUID
    /// Its name.
    public let definitionName: String
    /// How many runs finished (succeeded or failed).
    public let runs: Int64
    /// The median run time, in seconds.
    public let p50Seconds: Double
    /// The 90th percentile, in seconds.
    public let p90Seconds: Double
    /// The 99th percentile, in seconds.
    public let p99Seconds: Double
}
