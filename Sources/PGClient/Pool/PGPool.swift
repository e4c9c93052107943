public import Logging
public import NIOCore
public import NIOPosix
import Synchronization
import Tracing

/// A pool of ``PGConnection``s for a service: callers borrow a connection for a unit of work and
/// the pool gives it back clean to the next caller.
///
/// The pool works while ``run()`` runs: put it in a swift-service-lifecycle `ServiceGroup`, or
/// run it in a task of your own. Callers wait first come, first served, up to
/// ``Configuration/acquireTimeout``; a connection that comes back inside a transaction is rolled
/// back, and one whose session was changed is reset as ``Configuration/sessionReset`` says.
///
/// ```swift
/// let pool = PGPool(config: .init(connection: try PGConfig("postgres://app@db/ledger")))
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { try await pool.run() }
///     let total = try await pool.withTransaction { conn in
///         try await conn.execute("UPDATE accounts SET balance = balance - 10 WHERE id = \(id)")
///         return try await conn.query("SELECT sum(balance) FROM accounts").collect()
///     }
///     pool.shutdown()
/// }
/// ```
///
/// Decisions live in a pure state machine (`PoolStateMachine`); this class carries them out. One
/// lock guards the machine, the connections and the waiters' continuations: a lease and a return
/// each take the lock once, and a connection goes from one holder to the next waiter directly.
public final class PGPool: Sendable {
    typealias Machine = PoolStateMachine<Int, PoolInstant>

    /// The configuration the pool was made with.
    public let configuration: Configuration
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup
    /// The group's event loops, over which the pool spreads its connections.
    let eventLoops: [any EventLoop]
    let clock: PoolClock
    /// The pool's own telemetry (its `pool.acquire` spans and metrics)…
    let telemetry: PGTelemetry
    /// …and its connections'.
    let connectionTelemetry: PGTelemetry
    /// The pool's metrics; `nil` when its factory is the no-op one.
    let metrics: PGPoolMetrics?
    /// The server the pool's spans name: its first host.
    let server: PGServerIdentity?
    let state: Mutex<State>
    let jobs: AsyncStream<Job>
    let jobSink: AsyncStream<Job>.Continuation
    let nextWaiterID = Atomic<UInt64>(1)
    /// Set by the first ``run()``; the job stream has one consumer.
    let hasRun = Atomic<Bool>(false)
    /// How a caller of a one-off statement that waits alone polls for its outcome, as a caller
    /// of a connection's statement does (``PGConnection/Options/callerSpinBeforeSleeping``, from
    /// ``Configuration/connectionOptions``): its run of statements alone counts across the pool.
    let callerSpin: CallerSpin

    /// Everything the lock guards.
    struct State: ~Copyable {
        var machine: Machine
        var connections = IDTable<Int, PGConnection>()
        var waiters = PoolWaiterQueue<PoolWaiter>()
        /// The last failed connect, cleared by a successful one: waiters that time out meanwhile
        /// fail with it, since it is the reason they got nothing.
        var lastConnectError: PGError?
        var timerGenerations = Machine.TimerTable<UInt64>()
        /// Connects under way per event loop (by index into ``PGPool/eventLoops``).
        var connectsPerLoop: [Int] = []
        /// The counters of ``PGPool/statistics``; its gauges come from the machine.
        var statistics = Statistics()
    }

    /// Work done in ``run()``'s task group.
    enum Job: Sendable {
        case connect
        case close(PGConnection)
        case check(PGConnection)
        case cleanUp(PGConnection, reset: Bool)
        case timer(Machine.Timer, at: PoolInstant, generation: UInt64)
    }

    /// What the lock holder decided, done after the lock is released.
    enum Effect: Sendable {
        case lend(PoolWaiter, PGConnection)
        /// Take back a shared connection whose last statement finished, as a returned lease.
        case reclaim(PGConnection)
        /// Boxed: an error is large, and rare here. In the effect's own storage, the lists of
        /// effects were copied and destroyed through their type's metadata, for every statement.
        indirect case fail(PoolWaiter, PGError)
        case job(Job)
        case finishJobs
    }

    /// Creates a pool. It opens connections only while ``run()`` runs.
    ///
    /// - Parameters:
    ///   - config: the connection settings and the pool's limits and timings.
    ///   - eventLoopGroup: the NIO threads the connections run on.
    ///   - logger: the pool's logger; connection lines carry `pg.connection.id`.
    public convenience init(
        config: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "pgwire.pool")
    ) {
        self.init(config: config, eventLoopGroup: eventLoopGroup, logger: logger, clock: ContinuousClock())
    }

    init<C: Clock>(
        config: Configuration, eventLoopGroup: any EventLoopGroup, logger: Logger, clock: C
    ) where C.Duration == Duration {
        self.configuration = config
        self.eventLoopGroup = eventLoopGroup
        self.eventLoops = Array(eventLoopGroup.makeIterator())
        self.logger = logger
        self.clock = PoolClock(clock)
        (self.telemetry, self.connectionTelemetry) = config.telemetry
        let machine = config.machine
        self.metrics = telemetry.metricsFactory.map {
            PGPoolMetrics(
                poolName: config.poolName, minConnections: machine.minConnections,
                maxConnections: machine.maxConnections, factory: $0)
        }
        self.server = config.connection.hosts.first.map { PGServerIdentity(host: $0, database: config.connection.database) }
        self.state = Mutex(State(machine: Machine(configuration: config.machine)))
        self.callerSpin = CallerSpin(
            budget: config.connectionOptions.callerSpinBeforeSleeping, waiting: config.connectionOptions.callerWaitingCount)
        (jobs, jobSink) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .unbounded)
    }

    // MARK: Using connections

    /// Lends a connection to `body` and takes it back when `body` returns or throws.
    ///
    /// Do not keep the connection, or anything that streams from it, beyond `body`. `body` runs
    /// in the caller's isolation (an actor's, or the main actor's), so it may touch its state.
    ///
    /// ```swift
    /// let names = try await pool.withConnection { conn in
    ///     try await conn.query("SELECT name FROM users").collect().map { try $0.decode(String.self) }
    /// }
    /// ```
    ///
    /// With a tracer, waiting for the connection is a span, `pool.acquire`; the wait and the use
    /// are `db.client.connection.wait_time` and `db.client.connection.use_time`.
    ///
    /// - Parameters:
    ///   - isolation: the caller's actor, on which `body` runs (inferred; leave it out).
    ///   - logger: where the pool's lines about this lease go (a failed wait); `nil` uses the
    ///     pool's logger. The connection's calls in `body` take a logger of their own.
    ///   - body: the work, given the connection.
    /// - Throws: what `body` throws; ``PGError`` with ``PGError/Kind/timeout`` (or the last
    ///   connect error, while the server is unreachable) when no connection was free within
    ///   ``Configuration/acquireTimeout``, ``PGError/Kind/cancelled`` when the task was cancelled
    ///   while waiting, ``PGError/Kind/invalidUsage`` when the pool is shut down.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        logger: Logger? = nil,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await acquire(logger: logger)
        let leased = metrics.map { _ in clock.now() }
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            release(connection, leasedAt: leased)
            throw error
        }
        release(connection, leasedAt: leased)
        return result
    }

    /// Runs `body` in a transaction on a pooled connection: BEGIN, the body, COMMIT; ROLLBACK
    /// when the body throws. See ``PGConnection/withTransaction(isolation:_:logger:_:)``.
    ///
    /// ```swift
    /// try await pool.withTransaction { conn in
    ///     try await conn.execute("INSERT INTO ledger (account, amount) VALUES (\(a), \(x))")
    ///     try await conn.execute("INSERT INTO ledger (account, amount) VALUES (\(b), \(-x))")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - isolation: the caller's actor, on which `body` runs (inferred; leave it out).
    ///   - options: isolation, access mode, deferrable, resolvable commit.
    ///   - logger: where the lines about the lease, BEGIN, COMMIT and ROLLBACK go; `nil` uses
    ///     the pool's and the connection's loggers.
    ///   - body: the work, given the connection.
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/withTransaction(isolation:_:logger:_:)``.
    @discardableResult
    public func withTransaction<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ options: PGTransactionOptions = PGTransactionOptions(),
        logger: Logger? = nil,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection(logger: logger) { connection in
            try await connection.withTransaction(options, logger: logger, body)
        }
    }

    /// Looks up what became of a transaction whose COMMIT had an unknown outcome, on a pooled
    /// connection (see ``PGConnection/resolveCommit(_:)``).
    ///
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/resolveCommit(_:)``.
    public func resolveCommit(_ transaction: PGTransactionID) async throws -> PGCommitOutcome {
        try await withOneOffConnection(logger: nil) { connection in
            try await connection.resolveCommit(transaction)
        }
    }

    /// Runs one statement on a pooled connection and returns its rows, read into memory.
    ///
    /// When no connection is free, the statement waits in the pool's queue and is written the
    /// moment one comes free, on that connection's event loop; the calling task wakes once, with
    /// the rows (a result too large to arrive at once is read by the caller, and the connection
    /// comes back when it has been).
    ///
    /// With ``Configuration/statementsPerConnection`` above 1 the statement may share its
    /// connection with other one-off statements (multiplexing); it must then not change the
    /// session or open a transaction (see the configuration's documentation).
    ///
    /// ```swift
    /// let rows = try await pool.query("SELECT id FROM invoices WHERE org = \(org)")
    /// ```
    ///
    /// - Parameters:
    ///   - query: the statement; interpolated values become parameters.
    ///   - logger: where the lines about this request go, the pool's and the connection's;
    ///     `nil` uses their own loggers.
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/query(_:logger:)``.
    nonisolated(nonsending) public func query(_ query: PGQuery, logger: Logger? = nil) async throws -> [PGRow] {
        try await runOneOffStatement(query, keepingRows: true, logger: logger).rows
    }

    /// Runs one statement whose rows are not wanted on a pooled connection (shared with other
    /// one-off statements when multiplexing is on, as for ``query(_:logger:)``).
    ///
    /// ```swift
    /// try await pool.execute("DELETE FROM sessions WHERE expires_at < now()")
    /// ```
    ///
    /// - Parameters:
    ///   - query: the statement; interpolated values become parameters.
    ///   - logger: where the lines about this request go, the pool's and the connection's;
    ///     `nil` uses their own loggers.
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/execute(_:logger:)``.
    @discardableResult
    nonisolated(nonsending) public func execute(_ query: PGQuery, logger: Logger? = nil) async throws -> PGCommandResult {
        PGCommandResult(commandTag: try await runOneOffStatement(query, keepingRows: false, logger: logger).commandTag ?? "")
    }

    // MARK: Lease and return

    /// Waits for a connection: the most recently returned idle one (on the caller's event loop,
    /// if one is), a place on a shared one (for a statement), or the next one returned or
    /// opened, in the order callers asked. Traced as `pool.acquire`; a failed wait is logged at
    /// `debug` to `logger` (the pool's when `nil`).
    nonisolated(nonsending) func acquire(
        _ kind: Machine.LeaseKind = .exclusive, logger: Logger? = nil
    ) async throws -> PGConnection {
        let span = telemetry.startSpan(PGTelemetryNames.acquireSpan, kind: .internal, server: server) {
            $0[PGTelemetryNames.poolName] = self.configuration.poolName
        }
        do {
            let connection = try await waitForConnection(kind)
            span?.end()
            return connection
        } catch {
            if let span {
                PGErrorTelemetry(error).apply(to: span, error: error)
                span.end()
            }
            (logger ?? self.logger).debug("no pooled connection", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private nonisolated(nonsending) func waitForConnection(_ kind: Machine.LeaseKind) async throws -> PGConnection {
        let affinity = PoolAffinity.current
        while true {
            let start = clock.now()
            let connection: PGConnection
            if !Task.isCancelled, let available = takeAvailable(kind, affinity: affinity, now: start) {
                connection = available
            } else {
                connection = try await wait(kind, affinity: affinity, now: start)
            }
            metrics?.waitTime.recordNanoseconds(start.duration(to: clock.now()).nanoseconds)
            guard connection.isClosed else { return connection }
            // Broke while idle, before its closure was reported: forget it and wait again.
            connectionDidClose(connection.id)
        }
    }

    /// Leases a connection that is free now, without suspending the caller.
    func takeAvailable(_ kind: Machine.LeaseKind, affinity: PoolAffinity?, now: PoolInstant) -> PGConnection? {
        let (connection, effects) = state.withLock { state -> (PGConnection?, InlineList<Effect>) in
            var effects = InlineList<Effect>()
            let connection = takeAvailable(kind, affinity: affinity, now: now, from: &state, effects: &effects)
            return (connection, effects)
        }
        perform(effects)
        return connection
    }

    /// Leases a connection that is free now, for the holder of the lock; a connection the
    /// machine lent that has closed meanwhile is reported closed, its effects added to `effects`.
    func takeAvailable(
        _ kind: Machine.LeaseKind, affinity: PoolAffinity?, now: PoolInstant, from state: inout State,
        effects: inout InlineList<Effect>
    ) -> PGConnection? {
        guard let id = state.machine.takeAvailable(kind, affinity: affinity, now: now) else { return nil }
        if let connection = state.connections[id] {
            metrics?.record(state.machine.counts)
            return connection
        }
        effects.append(contentsOf: resolve(state.machine.connectionClosed(id, now: now), &state))
        return nil
    }

    /// Queues the caller until a connection is leased to it.
    private func wait(_ kind: Machine.LeaseKind, affinity: PoolAffinity?, now start: PoolInstant) async throws -> PGConnection {
        let waiter = nextWaiterID.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<PGConnection, any Error>) in
                let effects = state.withLock { state in
                    state.waiters.append(.lease(continuation), for: waiter)
                    var actions = state.machine.requestConnection(waiter, now: start, kind: kind, affinity: affinity)
                    if Task.isCancelled { actions.append(contentsOf: state.machine.cancelWaiter(waiter)) }
                    return resolve(actions, &state)
                }
                perform(effects)
            }
        } onCancel: {
            cancelWaiter(waiter)
        }
    }

    /// A waiter's task was cancelled: it leaves the queue, failing with a cancellation (nothing
    /// happens if it was lent a connection meanwhile).
    func cancelWaiter(_ waiter: Machine.WaiterID) {
        perform(state.withLock { resolve($0.machine.cancelWaiter(waiter), &$0) })
    }

    /// Takes a connection back. A clean one (idle, nothing unfinished, session untouched as the
    /// policy sees it) goes straight to the next waiter or the idle list; any other is cleaned in
    /// the background first, or closed. `leased` is when it was lent (`nil` when metrics are
    /// off), for `db.client.connection.use_time`.
    func release(_ connection: PGConnection, leasedAt leased: PoolInstant? = nil) {
        if let leased, let metrics { metrics.useTime.recordNanoseconds(leased.duration(to: clock.now()).nanoseconds) }
        let shared = connection.shared
        let reset: Bool =
            switch configuration.effectiveSessionReset {
            case .none: false
            case .discardAllAlways: true
            case .discardAllWhenTouched: shared.sessionChanged.load(ordering: .acquiring)
            }
        let isClosed = shared.read { $0.isClosed }
        let transactionStatus = shared.transactionStatus
        if isClosed || !connection.channel.isActive {
            connectionDidClose(connection.id)
            return
        }
        guard !reset && transactionStatus == .idle && configuration.beforeRelease == nil else {
            submit(.cleanUp(connection, reset: reset))
            return
        }
        if shared.requestsInFlight.load(ordering: .acquiring) == 0 {
            releaseClean(connection)
            return
        }
        // A result's rows end at CommandComplete; its ReadyForQuery is usually in the same read,
        // one event-loop turn away. Look again there before paying for a cleanup.
        connection.channel.eventLoop.execute {
            let isClosed = shared.read { $0.isClosed }
            let transactionStatus = shared.transactionStatus
            if shared.requestsInFlight.load(ordering: .acquiring) == 0 && transactionStatus == .idle && !isClosed {
                self.releaseClean(connection)
            } else {
                self.submit(.cleanUp(connection, reset: false))
            }
        }
    }

    private func releaseClean(_ connection: PGConnection) {
        let now = clock.now()
        perform(state.withLock { resolve($0.machine.connectionReleased(connection.id, now: now), &$0) })
    }

    /// The connection closed (the server ended it, the network broke, or we closed it).
    func connectionDidClose(_ id: Int) {
        let now = clock.now()
        perform(state.withLock { state in
            let actions = state.machine.connectionClosed(id, now: now)
            let closed = state.connections.removeValue(forKey: id)
            var effects = resolve(actions, &state)
            if let closed {
                state.statistics.closed += 1
                effects.append(.job(.close(closed)))
            }
            return effects
        })
    }

    // MARK: Carrying out actions

    /// Turns the machine's actions into effects; under the lock.
    func resolve(_ actions: consuming Machine.Actions, _ state: inout State) -> InlineList<Effect> {
        var effects = InlineList<Effect>()
        var pending = actions
        while !pending.isEmpty {
            var next = Machine.Actions()
            pending.consumeEach { action in
                switch action {
                case .lease(let id, let waiter):
                    let continuation = state.waiters.remove(waiter)
                    if let connection = state.connections[id], let continuation {
                        effects.append(.lend(continuation, connection))
                    } else if let continuation {
                        effects.append(.fail(continuation, PGError(
                            .invalidUsage, message: "the pool lost track of connection \(id)", requestWasSent: false)))
                    } else {
                        // The waiter is gone: the connection (or its place) comes straight back.
                        next.append(contentsOf: state.machine.leaseAbandoned(id, now: clock.now()))
                    }
                case .reclaim(let id):
                    if let connection = state.connections[id] {
                        effects.append(.reclaim(connection))
                    } else {
                        next.append(contentsOf: state.machine.connectionClosed(id, now: clock.now()))
                    }
                case .failWaiter(let waiter, let failure):
                    if let continuation = state.waiters.remove(waiter) {
                        effects.append(.fail(continuation, error(for: failure, lastConnectError: state.lastConnectError)))
                        if failure == .timeout {
                            metrics?.timeouts.increment()
                            state.statistics.timeouts += 1
                        }
                    }
                case .createConnection:
                    state.statistics.connectAttempts += 1
                    effects.append(.job(.connect))
                case .closeConnection(let id):
                    if let connection = state.connections.removeValue(forKey: id) {
                        state.statistics.closed += 1
                        effects.append(.job(.close(connection)))
                    }
                case .checkConnection(let id):
                    if let connection = state.connections[id] {
                        effects.append(.job(.check(connection)))
                    } else {
                        next.append(contentsOf: state.machine.connectionClosed(id, now: clock.now()))
                    }
                case .scheduleTimer(let timer, let instant):
                    let generation = (state.timerGenerations[timer] ?? 0) &+ 1
                    state.timerGenerations[timer] = generation
                    effects.append(.job(.timer(timer, at: instant, generation: generation)))
                case .shutdownCompleted:
                    effects.append(.finishJobs)
                }
            }
            pending = next
        }
        metrics?.record(state.machine.counts)
        return effects
    }

    /// Resumes waiters and hands jobs to ``run()``; outside the lock.
    func perform(_ effects: consuming InlineList<Effect>) {
        effects.consumeEach { perform(effect: $0) }
    }

    /// Carries out one effect; consumed, so that its payloads move on rather than being copied.
    private func perform(effect: consuming Effect) {
        switch consume effect {
        case .lend(.lease(let continuation), let connection):
            continuation.resume(returning: connection)
        case .lend(.statement(let statement), let connection):
            statement.start(on: connection, pool: self)
        case .reclaim(let connection):
            release(connection)
        case .fail(.lease(let continuation), let error):
            continuation.resume(throwing: error)
        case .fail(.statement(let statement), let error):
            statement.fail(error, poolLogger: logger)
        case .job(let job):
            submit(job)
        case .finishJobs:
            logger.debug("pool shut down")
            jobSink.finish()
        }
    }

    /// Queues a job for ``run()``. After the pool has shut down, connections are still closed.
    func submit(_ job: Job) {
        if case .terminated = jobSink.yield(job) {
            switch job {
            case .close(let connection), .cleanUp(let connection, _), .check(let connection):
                Task { await connection.close() }
            case .connect, .timer:
                break
            }
        }
    }

    /// The error a waiter gets.
    func error(for failure: Machine.Failure, lastConnectError: PGError?) -> PGError {
        switch failure {
        case .timeout:
            if let lastConnectError {
                return PGError(
                    lastConnectError.kind,
                    message: "no pooled connection within \(configuration.acquireTimeout): the server cannot be reached (\(lastConnectError.message))",
                    serverFields: lastConnectError.serverFields, requestWasSent: false)
            }
            return PGError(
                .timeout,
                message: "no pooled connection became free within \(configuration.acquireTimeout) (maxConnections \(configuration.maxConnections))",
                requestWasSent: false)
        case .cancelled:
            return PGError(.cancelled, message: "the task was cancelled while waiting for a pooled connection", requestWasSent: false)
        case .shutdown:
            return PGError(.invalidUsage, message: "the pool is shut down", requestWasSent: false)
        }
    }

    var counts: Machine.Counts { state.withLock { $0.machine.counts } }
}
