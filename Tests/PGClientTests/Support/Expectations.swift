import PGClient
import PGLocalCluster
import Testing

/// Connects with `config` and returns the error, or records an issue and returns `nil` when the
/// connection succeeds (and closes it).
func connectionError(
    _ config: PGConfig, sourceLocation: SourceLocation = #_sourceLocation
) async -> PGError? {
    do {
        let connection = try await PGConnection.connect(config: config)
        Issue.record("the connection succeeded; expected an error", sourceLocation: sourceLocation)
        await connection.close()
        return nil
    } catch {
        return error
    }
}

/// The task's result, or `nil` when it has none within `limit` — for calls that could hang: the
/// test then fails instead of hanging (the task is left running).
func result<Value: Sendable>(of task: Task<Value, any Error>, within limit: Duration) async -> Result<Value, any Error>? {
    let (first, continuation) = AsyncStream<Result<Value, any Error>?>.makeStream()
    Task {
        continuation.yield(await task.result)
        continuation.finish()
    }
    Task {
        try? await Task.sleep(for: limit)
        continuation.yield(nil)
        continuation.finish()
    }
    for await outcome in first { return outcome }
    return nil
}

extension PGConnection {
    /// Waits until the connection is closed; `false` if it is still open after `limit` (a bound
    /// that only catches a connection that never closes).
    func closes(within limit: Duration = .seconds(120)) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while !isClosed, clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        return isClosed
    }

    /// The first column of the first row of `sql`, in text (for checks, not for tests of decoding).
    func scalar(_ sql: String) async throws -> String? {
        let results = try await simpleQuery(sql)
        return try results.first?.rows.first?.decode(String?.self, at: 0)
    }
}
