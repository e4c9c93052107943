public import Logging
import Synchronization

/// A health check: the check query (`SELECT 1` by default) answered within a bound that holds
/// whatever the server does or does not send.
///
/// One check serves a service's readiness route and `pgping`: on a pool it leases a connection
/// (waiting for one counts against the bound), on a connection it runs the query there.
///
/// ```swift
/// let health = await PGHealthCheck(timeout: .seconds(2)).run(on: pool)
/// if let error = health.error { logger.warning("database not ready", metadata: ["error": "\(error)"]) }
/// ```
public struct PGHealthCheck: Sendable {
    /// The query that must succeed (`SELECT 1` by default), sent with the simple protocol.
    public var query: String
    /// How long the whole check may take, waiting for a connection included.
    public var timeout: Duration

    /// Creates a check of `query` within `timeout`.
    public init(query: String = "SELECT 1", timeout: Duration = .seconds(3)) {
        self.query = query
        self.timeout = timeout
    }

    /// Leases a connection from `pool` and runs the query on it, within ``timeout``. Never
    /// throws: a failure or a missed bound is an unhealthy result that says why.
    public func run(on pool: PGPool, logger: Logger? = nil) async -> PGHealthResult {
        await measured {
            try await pool.withConnection(logger: logger) { connection in
                _ = try await connection.simpleQuery(query, logger: logger)
            }
        }
    }

    /// Runs the query on `connection`, within ``timeout``. Never throws: a failure or a missed
    /// bound is an unhealthy result; on a missed bound the connection is closed, since a reply
    /// may still come.
    public func run(on connection: PGConnection, logger: Logger? = nil) async -> PGHealthResult {
        let result = await measured {
            _ = try await connection.simpleQuery(query, logger: logger)
        }
        if result.error?.kind == .timeout { await connection.close() }
        return result
    }

    /// Runs `body` within ``timeout``, timing it.
    private func measured(_ body: @escaping @Sendable () async throws -> Void) async -> PGHealthResult {
        let clock = ContinuousClock()
        let start = clock.now
        let limit = timeout
        let failure: PGError? = await PGDeadline.run(limit) {
            do {
                try await body()
                return nil
            } catch let error as PGError {
                return error
            } catch {
                return PGError(.connectionFailed, message: "\(error)", requestWasSent: false)
            }
        } onTimeout: {
            PGError(.timeout, message: "the health check got no answer within \(limit)", requestWasSent: true)
        }
        return PGHealthResult(error: failure, duration: start.duration(to: clock.now))
    }
}

/// What a ``PGHealthCheck`` found.
public struct PGHealthResult: Sendable {
    /// Why the check failed (`PGError.Kind.timeout` when the bound passed); `nil` when it
    /// passed.
    public var error: PGError?
    /// How long the check took.
    public var duration: Duration

    /// Whether the query succeeded within the bound.
    public var isHealthy: Bool { error == nil }

    /// Creates a result.
    public init(error: PGError?, duration: Duration) {
        self.error = error
        self.duration = duration
    }
}

extension PGPool {
    /// Whether the pool can run `SELECT 1` within `timeout`, waiting for a connection included:
    /// a ``PGHealthCheck`` with the default query, run on this pool.
    ///
    /// ```swift
    /// let ready = await pool.checkHealth(timeout: .seconds(2)).isHealthy
    /// ```
    public func checkHealth(timeout: Duration = .seconds(3), logger: Logger? = nil) async -> PGHealthResult {
        await PGHealthCheck(timeout: timeout).run(on: self, logger: logger)
    }
}
