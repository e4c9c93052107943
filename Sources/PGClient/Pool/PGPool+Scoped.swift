public import Logging
public import NIOCore
public import NIOPosix

extension PGPool {
    /// Runs a pool for the duration of `body`: starts it, hands it to `body`, then shuts it down
    /// and waits until every connection is closed — gracefully when `body` returns, at once when
    /// it throws.
    ///
    /// For tools, scripts and tests; a service runs the pool in its `ServiceGroup` instead.
    ///
    /// ```swift
    /// let names = try await PGPool.withPool(config: .init(connection: config)) { pool in
    ///     try await pool.query("SELECT name FROM users").map { try $0.decode(String.self, at: 0) }
    /// }
    /// ```
    ///
    /// - Throws: what `body` throws, or ``PGError/Kind/invalidUsage`` if the pool cannot run.
    public static func withPool<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        config: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "pgwire.pool"),
        _ body: (PGPool) async throws -> Result
    ) async throws -> Result {
        let pool = PGPool(config: config, eventLoopGroup: eventLoopGroup, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.run() }
            let result: Result
            do {
                result = try await body(pool)
            } catch {
                // Cancelling run() closes every connection at once, holders or not.
                group.cancelAll()
                try? await group.waitForAll()
                throw error
            }
            pool.shutdown()
            try await group.waitForAll()
            return result
        }
    }
}
