import Logging
import NIOCore
import NIOPosix

extension PGPool {
    /// Lends a connection to one one-off statement: alone when multiplexing is off, else a place
    /// on a connection that other one-off statements may share.
    nonisolated(nonsending) func withOneOffConnection<Result: Sendable>(
        logger: Logger? = nil, _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await retryingUnsent(logger: logger) { try await runOneOff(logger: logger, body) }
    }

    /// Runs one statement and returns its rows (when `keepingRows`) and command tag: on a
    /// connection of its own, started by whoever lends it one (``PooledStatement``), or with
    /// multiplexing on, on a place of a shared connection; once more as ``retriesUnsent(_:logger:)``
    /// allows.
    nonisolated(nonsending) func runOneOffStatement(
        _ query: borrowing PGQuery, keepingRows: Bool, logger: Logger?
    ) async throws -> (rows: [PGRow], commandTag: String?) {
        // The query is lent to each attempt, not captured by a closure, which would copy it.
        do {
            return try await runOneOffStatementOnce(query, keepingRows: keepingRows, logger: logger)
        } catch let error as PGError where retriesUnsent(error, logger: logger) {
            return try await runOneOffStatementOnce(query, keepingRows: keepingRows, logger: logger)
        }
    }

    private nonisolated(nonsending) func runOneOffStatementOnce(
        _ query: borrowing PGQuery, keepingRows: Bool, logger: Logger?
    ) async throws -> (rows: [PGRow], commandTag: String?) {
        guard configuration.statementsPerConnection > 1 else {
            return try await runPooledStatement(copy query, logger: logger).finish(returningTo: self, keepingRows: keepingRows)
        }
        let shared = copy query
        return try await runOneOff(logger: logger) { connection in
            let sequence = try await connection.query(shared, logger: logger)
            var rows: [PGRow] = []
            for try await row in sequence where keepingRows { rows.append(row) }
            return (rows, sequence.commandTag)
        }
    }

    /// Runs `attempt`, and once more if it failed as ``retriesUnsent(_:logger:)`` allows.
    private nonisolated(nonsending) func retryingUnsent<Result: Sendable>(
        logger: Logger?, _ attempt: () async throws -> Result
    ) async throws -> Result {
        do {
            return try await attempt()
        } catch let error as PGError where retriesUnsent(error, logger: logger) {
            return try await attempt()
        }
    }

    /// Whether a statement that failed with `error` runs once more, on another connection: when
    /// its connection closed before the statement was sent (so that running it again cannot
    /// run it twice), ``Configuration/retriesUnsentStatements`` allows, and the caller was not
    /// cancelled. Says so in `logger` (the pool's when `nil`) when it does.
    private func retriesUnsent(_ error: PGError, logger: Logger?) -> Bool {
        guard configuration.retriesUnsentStatements && Self.isUnsentOnClosedConnection(error) && !Task.isCancelled else {
            return false
        }
        // Nothing of it reached the server: run it once more, on another connection.
        (logger ?? self.logger).debug(
            "pool runs a statement again that its closed connection never sent", metadata: ["error": "\(error)"])
        return true
    }

    /// Queues `query` as a ``PooledStatement`` and waits for its result.
    private nonisolated(nonsending) func runPooledStatement(_ query: consuming PGQuery, logger: Logger?) async throws -> PooledStatement.Outcome {
        if let error = query.encodingError { throw error }
        let span = telemetry.startSpan(PGTelemetryNames.acquireSpan, kind: .internal, server: server) {
            $0[PGTelemetryNames.poolName] = self.configuration.poolName
        }
        let now = clock.now()
        let leaseKind = configuration.leaseKind(for: query)
        // The query moves into the statement: read nothing of it after this.
        let statement = PooledStatement(
            query: consume query, leaseKind: leaseKind, logger: logger, waiterID: nextWaiterID.wrappingAdd(1, ordering: .relaxed).oldValue,
            affinity: PoolAffinity.current, queuedAt: now, acquireSpan: span)
        let (counted, alone) = callerSpin.startWaitingOffEventLoops()
        defer { if counted { callerSpin.finishedWaiting() } }
        enqueue(statement, now: now)
        do {
            // A free connection starts the statement within `enqueue`: a caller alone may poll
            // for its outcome rather than sleep, as a connection's caller does
            // (``PGConnection/Options/callerSpinBeforeSleeping``).
            if counted, callerSpin.poll(alone: alone, until: statement.isFinished), let outcome = statement.takeIfFinished() {
                return try outcome.get()
            }
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { statement.install($0) }
            } onCancel: {
                statement.cancel(in: self)
            }
        } catch let error as PGError {
            throw error.reportingCancellation()
        }
    }

    /// Starts `statement` on a connection that is free now, or queues it for the next one: both
    /// under one acquisition of the lock, which the event loops take for every finished statement.
    /// `now` is the pool's time, when the caller has just read it (a read of the clock costs as
    /// much as the rest of the queueing).
    func enqueue(_ statement: PooledStatement, now: PoolInstant? = nil) {
        let now = now ?? clock.now()
        let cancelled = Task.isCancelled
        let (connection, effects) = state.withLock { state -> (PGConnection?, InlineList<Effect>) in
            var effects = InlineList<Effect>()
            if !cancelled, let connection = takeAvailable(
                statement.leaseKind, affinity: statement.affinity, now: now, from: &state, effects: &effects)
            {
                return (connection, effects)
            }
            state.waiters.append(.statement(statement), for: statement.waiterID)
            var actions = state.machine.requestConnection(
                statement.waiterID, now: now, kind: statement.leaseKind, affinity: statement.affinity)
            if cancelled { actions.append(contentsOf: state.machine.cancelWaiter(statement.waiterID)) }
            effects.append(contentsOf: resolve(actions, &state))
            return (nil, effects)
        }
        perform(effects)
        if let connection { statement.start(on: connection, pool: self) }
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
