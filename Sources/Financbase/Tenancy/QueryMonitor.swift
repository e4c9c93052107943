/// Times the statements of tenant sessions and reports the slow ones.
///
/// Placeholder: the tenancy work replaces it with logging (statement name and duration, never
/// parameters) and metrics for statements slower than the threshold.
struct QueryMonitor: Sendable {
    /// Statements slower than this are reported.
    var slowThreshold: Duration = .seconds(1)

    /// Runs `body`, timing it as the statement `name`.
    func measure<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ name: StaticString, _ body: () async throws -> Result
    ) async throws -> Result {
        try await body()
    }
}
