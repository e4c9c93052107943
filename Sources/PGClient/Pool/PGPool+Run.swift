import Logging
import NIOCore
public import ServiceLifecycle

extension PGPool: Service {
    /// Runs the pool: opens ``Configuration/minConnections``, opens and closes connections as
    /// demand and timeouts say, checks idle ones, and cleans returned ones. Returns once the pool
    /// has shut down (``shutdown()``, or a graceful shutdown of the `ServiceGroup`, which waits for
    /// holders up to ``Configuration/shutdownGracePeriod``). Cancelling the task closes every
    /// connection at once.
    ///
    /// ```swift
    /// let group = ServiceGroup(services: [pool, server], gracefulShutdownSignals: [.sigterm], logger: logger)
    /// try await group.run()
    /// ```
    ///
    /// - Throws: ``PGError/Kind/invalidUsage`` when the pool has run before: a pool runs once.
    public func run() async throws {
        guard !hasRun.exchange(true, ordering: .relaxed) else {
            throw PGError(.invalidUsage, message: "a PGPool runs once; make a new one", requestWasSent: false)
        }
        let now = clock.now()
        perform(state.withLock { resolve($0.machine.start(now: now), &$0) })
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                await withTaskCancellationHandler {
                    for await job in jobs {
                        group.addTask { await self.run(job) }
                    }
                } onCancel: {
                    self.shutdown(gracePeriod: .zero)
                }
            } onGracefulShutdown: {
                self.shutdown()
            }
            // Sleeping timers are all that may be left.
            group.cancelAll()
        }
    }

    /// Starts a graceful shutdown: no more leases (waiters fail with
    /// ``PGError/Kind/invalidUsage``), idle connections close, and leased ones close as they come
    /// back, or when `gracePeriod` (by default ``Configuration/shutdownGracePeriod``) has passed.
    /// ``run()`` returns when all are closed.
    public func shutdown() {
        shutdown(gracePeriod: configuration.shutdownGracePeriod)
    }

    func shutdown(gracePeriod: Duration?) {
        let now = clock.now()
        logger.debug("pool shutting down", metadata: ["pg.pool.grace": "\(gracePeriod.map { "\($0)" } ?? "none")"])
        perform(state.withLock { resolve($0.machine.shutdown(now: now, gracePeriod: gracePeriod), &$0) })
    }

    func run(_ job: Job) async {
        switch job {
        case .connect:
            await openConnection()
        case .close(let connection):
            connection.logger.debug("pool closes connection")
            await connection.close()
        case .check(let connection):
            await check(connection)
        case .cleanUp(let connection, let reset):
            await cleanUp(connection, reset: reset)
        case .timer(let timer, let instant, let generation):
            do {
                try await clock.sleep(instant)
            } catch {
                return  // cancelled: the pool is done
            }
            let now = clock.now()
            perform(state.withLock { state in
                guard state.timerGenerations[timer] == generation else { return InlineList() }
                return resolve(state.machine.timerFired(timer, now: now), &state)
            })
        }
    }

    /// Opens and sets up a connection, and reports it (or the failure) to the machine.
    func openConnection() async {
        let loopIndex = state.withLock { chooseEventLoop(&$0) }
        let started = metrics.map { _ in clock.now() }
        do {
            let settings = try await connectSettings()
            let connection = try await PGConnection.connect(
                config: settings, options: configuration.connectionOptions,
                telemetry: connectionTelemetry, eventLoopGroup: loopIndex.map { eventLoops[$0] } ?? eventLoopGroup,
                logger: logger)
            do {
                try await configuration.setup?(connection)
            } catch {
                await connection.close()
                throw PGError(.connectionFailed, message: "the pool's connection setup failed: \(error)", requestWasSent: true)
            }
            connection.shared.sessionChanged.store(false, ordering: .relaxed)
            connection.logger.debug("pool opened connection")
            let now = clock.now()
            if let started, let metrics { metrics.createTime.recordNanoseconds(started.duration(to: now).nanoseconds) }
            let jitter = Double.random(in: 0..<1)
            perform(state.withLock { state in
                state.connections[connection.id] = connection
                state.statistics.created += 1
                connectEnded(on: loopIndex, &state)
                state.lastConnectError = nil
                return resolve(
                    state.machine.connectionOpened(
                        connection.id, now: now, lifetimeJitter: jitter, affinity: PoolAffinity(connection.channel.eventLoop)),
                    &state)
            })
            let id = connection.id
            connection.channel.closeFuture.whenComplete { [weak self] _ in self?.connectionDidClose(id) }
        } catch {
            let failure = error as? PGError ?? PGError(.connectionFailed, message: "\(error)", requestWasSent: false)
            let now = clock.now()
            let jitter = Double.random(in: 0..<1)
            let firstFailure = state.withLock { $0.lastConnectError == nil }
            // The first failure after a success is a warning: the pool cannot reach the server
            // (down, unreachable, refusing the credentials), which needs an operator. The retries
            // after it, every backoff, are debug, so that an outage is one warning, not a flood;
            // so is a connect cut short by the pool's shutdown.
            let level: Logger.Level = firstFailure && failure.kind != .cancelled ? .warning : .debug
            logger.log(level: level, "pool could not connect; retrying with backoff", metadata: ["error": "\(failure)"])
            perform(state.withLock { state in
                state.lastConnectError = failure
                connectEnded(on: loopIndex, &state)
                state.statistics.connectFailures += 1
                return resolve(state.machine.connectFailed(now: now, backoffJitter: jitter), &state)
            })
        }
    }

    /// The settings of the next connect: the configured ones, with the password provider's
    /// password, as the before-connect hook returns them.
    func connectSettings() async throws(PGError) -> PGConfig {
        var settings = configuration.connection
        do {
            if let provider = configuration.passwordProvider {
                settings.password = try await provider()
            }
        } catch {
            throw PGError(.connectionFailed, message: "the pool's password provider failed: \(error)", requestWasSent: false)
        }
        do {
            if let hook = configuration.beforeConnect {
                settings = try await hook(settings)
            }
        } catch {
            throw PGError(.connectionFailed, message: "the pool's before-connect hook failed: \(error)", requestWasSent: false)
        }
        return settings
    }

    /// Checks an idle connection with an empty query.
    func check(_ connection: PGConnection) async {
        do {
            try await withDeadline(configuration.cleanupTimeout, closing: connection) {
                try await connection.housekeepingQuery("")
            }
            let now = clock.now()
            perform(state.withLock { resolve($0.machine.healthCheckSucceeded(connection.id, now: now), &$0) })
        } catch {
            // Normal operation: idle connections break (a restarted server, a firewall's idle
            // timeout), and finding them is what the check is for.
            connection.logger.debug("pool health check failed; closing the connection", metadata: ["error": "\(error)"])
            connectionDidClose(connection.id)
        }
    }

    /// Makes a returned connection clean, or closes it: waits for what the holder left running
    /// (an unfinished result, a cancelled statement), rolls back an open transaction, resets the
    /// session when asked or when the holder changed it, and runs the setup hook again after a
    /// reset.
    func cleanUp(_ connection: PGConnection, reset: Bool) async {
        let shared = connection.shared
        do {
            try await withDeadline(configuration.cleanupTimeout, closing: connection) {
                if shared.requestsInFlight.load(ordering: .acquiring) > 0 {
                    // Usually the ReadyForQuery is already in the event loop's hands.
                    try await connection.channel.eventLoop.submit {}.get()
                    if shared.requestsInFlight.load(ordering: .acquiring) > 0 {
                        // An empty query completes after everything sent before it.
                        try await connection.housekeepingQuery("")
                    }
                }
                if connection.transactionStatus != .idle {
                    connection.logger.debug("pool rolls back a transaction left open")
                    self.state.withLock { $0.statistics.rollbacks += 1 }
                    try await connection.housekeepingQuery("ROLLBACK")
                }
                if let hook = self.configuration.beforeRelease {
                    do {
                        try await hook(connection)
                    } catch {
                        throw PGError(
                            .invalidUsage, message: "the pool's before-release hook failed: \(error)", requestWasSent: true)
                    }
                }
                let touched = shared.sessionChanged.load(ordering: .acquiring)
                if reset || (touched && self.configuration.effectiveSessionReset == .discardAllWhenTouched) {
                    connection.logger.debug("pool resets the session")
                    self.state.withLock { $0.statistics.resets += 1 }
                    try await connection.housekeepingQuery("DISCARD ALL")
                    try await self.configuration.setup?(connection)
                    shared.sessionChanged.store(false, ordering: .releasing)
                }
                guard !connection.isClosed, connection.transactionStatus == .idle,
                    shared.requestsInFlight.load(ordering: .acquiring) == 0
                else {
                    throw PGError(.invalidUsage, message: "the connection is still busy after cleaning", requestWasSent: false)
                }
            }
        } catch {
            // The server refused the cleanup (ROLLBACK or DISCARD ALL failed), or the setup hook
            // threw after DISCARD ALL: a connection is closed for a reason an operator should
            // know of — a warning. A connection that broke or closed (the network, the server
            // ending it, cleaning that took too long) is normal operation for a pool: debug.
            let level: Logger.Level = (error as? PGError).map { $0.kind == .server } ?? true ? .warning : .debug
            connection.logger.log(level: level, "pool closes a connection it could not clean", metadata: ["error": "\(error)"])
            state.withLock { $0.statistics.closedAfterCleanupFailure += 1 }
            connectionDidClose(connection.id)
            return
        }
        let now = clock.now()
        perform(state.withLock { resolve($0.machine.connectionReleased(connection.id, now: now), &$0) })
    }

    /// Runs `operation` on `connection`, failing with ``PGError/Kind/timeout`` if it takes longer
    /// than `limit`. The connection is closed then: that ends what the operation waits for.
    func withDeadline(
        _ limit: Duration, closing connection: PGConnection, _ operation: @escaping @Sendable () async throws -> Void
    ) async throws {
        let clock = self.clock
        let deadline = clock.now().advanced(by: limit)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await operation()
                return true
            }
            group.addTask {
                try await clock.sleep(deadline)
                return false
            }
            let finished = try await group.next() ?? false
            group.cancelAll()
            if !finished {
                await connection.close()
                throw PGError(.timeout, message: "the pool's cleanup took longer than \(limit)", requestWasSent: true)
            }
        }
    }
}
