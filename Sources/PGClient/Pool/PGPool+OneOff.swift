import Logging
import NIOCore
import NIOPosix

extension PGPool {
    /// Lends a connection to one one-off statement: alone when multiplexing is off, else a place
    /// on a connection that other one-off statements may share.
    nonisolated(nonsending) func withOneOffConnection<Result: Sendable>(
        logger: Logger? = nil, _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await runOneOff(logger: logger, body)
        } catch let error as PGError where configuration.retriesUnsentStatements && Self.isUnsentOnClosedConnection(error) && !Task.isCancelled {
            // Nothing of it reached the server: run it once more, on another connection.
            (logger ?? self.logger).debug(
                "pool runs a statement again that its closed connection never sent", metadata: ["error": "\(error)"])
            return try await runOneOff(logger: logger, body)
        }
    }

    /// Whether `error` says that a statement never left because its connection closed, so that
    /// running it again cannot run it twice.
    static func isUnsentOnClosedConnection(_ error: PGError) -> Bool {
        error.kind == .connectionClosed && !error.requestWasSent
    }

    private nonisolated(nonsending) func runOneOff<Result: Sendable>(
        logger: Logger?, _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        guard configuration.statementsPerConnection > 1 else { return try await withConnection(logger: logger, body) }
        let connection = try await acquire(.statement, logger: logger)
        let leased = metrics.map { _ in clock.now() }
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            finishStatement(on: connection, leasedAt: leased)
            throw error
        }
        finishStatement(on: connection, leasedAt: leased)
        return result
    }

    /// A one-off statement on a shared connection is done: its place goes to a waiting
    /// statement, or, if it was the last, the connection goes through the ordinary release.
    func finishStatement(on connection: PGConnection, leasedAt leased: PoolInstant? = nil) {
        let now = clock.now()
        if let leased, let metrics { metrics.useTime.recordNanoseconds(leased.duration(to: now).nanoseconds) }
        perform(state.withLock { resolve($0.machine.statementFinished(connection.id, now: now), &$0) })
    }
}

extension PoolAffinity {
    /// The key of an event loop (its identity).
    init(_ eventLoop: any EventLoop) {
        self.init(rawValue: UInt(bitPattern: ObjectIdentifier(eventLoop)))
    }

    /// The key of the event loop the caller runs on, if it runs on one of NIO's
    /// (a task that prefers a ``PGEventLoopExecutor`` does). A thread-local read.
    static var current: PoolAffinity? {
        MultiThreadedEventLoopGroup.currentEventLoop.map { PoolAffinity($0) }
    }
}
