import Logging
import Metrics

/// Times the statements of tenant sessions and reports the slow ones.
///
/// Every statement's duration goes to the timer `financbase_query_duration_seconds` (dimension
/// `statement`); one that takes at least the threshold is also logged as a warning `slow query`
/// with its name and duration in milliseconds and counted in `financbase_slow_queries_total`.
/// Parameters and SQL values are never logged: the name is all a log line carries.
struct QueryMonitor: Sendable {
    /// Statements that take at least this long are reported.
    let slowThreshold: Duration
    let logger: Logger
    let factory: any MetricsFactory

    /// Runs `body`, timing it as the statement `name`, whether it succeeds or throws.
    func measure<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ name: StaticString, _ body: () async throws -> Result
    ) async throws -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        defer { record(name, start.duration(to: clock.now)) }
        return try await body()
    }

    func record(_ name: StaticString, _ duration: Duration) {
        let statement = "\(name)"
        Metrics.Timer(
            label: "financbase_query_duration_seconds", dimensions: [("statement", statement)],
            factory: factory
        ).record(duration: duration)
        guard duration >= slowThreshold else { return }
        Counter(
            label: "financbase_slow_queries_total", dimensions: [("statement", statement)],
            factory: factory
        )
        .increment()
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        logger.warning(
            "slow query", metadata: ["statement": "\(statement)", "duration_ms": "\(milliseconds)"])
    }
}
