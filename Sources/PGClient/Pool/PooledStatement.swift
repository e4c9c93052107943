import Logging
import NIOCore
import PGWire
import Synchronization
import Tracing

/// A one-off statement (`pool.query`, `pool.execute`) waiting in the pool for a connection of
/// its own.
///
/// Whoever lends it a connection starts it there: a caller returning one, or the event loop
/// where the connection's last statement just ended. Its caller is not woken to be handed the
/// connection and then to write the statement (two thread hops while the connection sits idle);
/// it sleeps until the statement's result is in, or, alone, polls for it first
/// (``PGPool/callerSpin``). The connection goes back to the pool on its
/// event loop as soon as that result is complete, so the next statement waiting is written at
/// once, as a libpq client serving several connections sends the next query when a result
/// arrives. The statement has the connection to itself, as under `withConnection`, unless it is
/// pipelined: then the statements that waited with it may share the connection's handoff
/// (``PGPool/Configuration/waitingStatementsPerConnection``).
final class PooledStatement: Sendable {
    /// What the caller gets.
    enum Outcome: Sendable {
        /// The whole result, which arrived with the reads that answered the statement; the
        /// connection is back in the pool.
        case complete([PGRow], commandTag: String?)
        /// A result still arriving: the caller reads it and returns the connection.
        case streaming(PGRowSequence, Lease)
    }

    /// The connection a statement runs on, and how it goes back.
    struct Lease: Sendable {
        let connection: PGConnection
        /// When it was lent (`nil` when metrics are off).
        let leasedAt: PoolInstant?
        /// Whether the statement holds a place beside others rather than the connection.
        let isPlace: Bool

        /// Gives the connection, or the statement's place on it, back to `pool`.
        func giveBack(to pool: PGPool) {
            if isPlace {
                pool.finishStatement(on: connection, leasedAt: leasedAt)
            } else {
                pool.release(connection, leasedAt: leasedAt)
            }
        }
    }

    /// Where the statement is. The caller's continuation is `nil` until it is installed: a caller
    /// that polls for the outcome first (``PGPool/callerSpin``) installs one only if the outcome
    /// did not come while it polled.
    private enum Phase {
        /// Queued, or being handed a connection.
        case waiting(UnsafeContinuation<Outcome, any Error>?)
        /// The caller's task was cancelled before the statement started.
        case cancelledWhileWaiting(UnsafeContinuation<Outcome, any Error>?)
        /// Written on `connection` as request `id`; the caller waits for its result.
        case running(UnsafeContinuation<Outcome, any Error>?, PGConnection, RequestID)
        /// Finished before the caller installed a continuation: the outcome, kept for it.
        /// Boxed: an outcome is large, and the phase changes several times per statement.
        indirect case finishedUnclaimed(Result<Outcome, any Error>)
        /// The caller was given its outcome.
        case finished
    }

    /// What the lock guards: the phase, and the query until it is written (then it moves into
    /// the connection's request instead of being copied there).
    private struct Guarded {
        var phase: Phase
        var query: PGQuery?
    }
    /// How it asks for a connection: ``PoolStateMachine/LeaseKind/pipelinedStatement`` when it
    /// may share a handoff (``PGPool/Configuration/leaseKind(for:)``), else `.exclusive`.
    let leaseKind: PoolStateMachine<Int, PoolInstant>.LeaseKind
    let logger: Logger?
    /// The waiter id the pool's machine knows it by.
    let waiterID: UInt64
    /// The caller's event loop, if it runs on one, for the pool's affinity.
    let affinity: PoolAffinity?
    /// When it began to wait (its deadline and the wait-time metric count from here).
    let queuedAt: PoolInstant
    /// The caller's context, so that the statement's span is the caller's child wherever the
    /// statement starts.
    private let context: ServiceContext?
    /// `pool.acquire`, from the call to the lease.
    private let acquireSpan: (any Span)?
    private let guarded: Mutex<Guarded>
    /// Set once the outcome is there: a caller polling for it reads this instead of the lock.
    private let finishedFlag = Atomic<Bool>(false)

    init(
        query: consuming PGQuery, leaseKind: PoolStateMachine<Int, PoolInstant>.LeaseKind, logger: Logger?, waiterID: UInt64,
        affinity: PoolAffinity?, queuedAt: PoolInstant, acquireSpan: (any Span)?
    ) {
        self.guarded = Mutex(Guarded(phase: .waiting(nil), query: consume query))
        self.leaseKind = leaseKind
        self.logger = logger
        self.waiterID = waiterID
        self.affinity = affinity
        self.queuedAt = queuedAt
        self.context = ServiceContext.current
        self.acquireSpan = acquireSpan
    }

    /// Whether the outcome is there; never waits.
    var isFinished: Bool { finishedFlag.load(ordering: .acquiring) }

    /// Keeps the continuation the caller waits on, or resumes it at once with the outcome when
    /// the statement already finished.
    func install(_ continuation: UnsafeContinuation<Outcome, any Error>) {
        let finished: Result<Outcome, any Error>? = guarded.withLock { guarded in
            switch guarded.phase {
            case .waiting: guarded.phase = .waiting(continuation)
            case .cancelledWhileWaiting: guarded.phase = .cancelledWhileWaiting(continuation)
            case .running(_, let connection, let id): guarded.phase = .running(continuation, connection, id)
            case .finishedUnclaimed(let outcome):
                guarded.phase = .finished
                return outcome
            case .finished:
                // One caller installs one continuation, once: nothing else resumes it.
                return .failure(
                    PGError(.invalidUsage, message: "the pooled statement's outcome was already taken", requestWasSent: true))
            }
            return nil
        }
        if let finished { continuation.resume(with: finished) }
    }

    /// Moves the outcome out, if the statement finished and no continuation was installed: for a
    /// caller that polled for it instead of waiting.
    func takeIfFinished() -> Result<Outcome, any Error>? {
        guarded.withLock { guarded in
            guard case .finishedUnclaimed(let outcome) = guarded.phase else { return nil }
            guarded.phase = .finished
            return outcome
        }
    }

    /// Starts the statement on `connection`, lent to it by `pool`; from any thread.
    func start(on connection: PGConnection, pool: PGPool) {
        // The time is only for the pool's metrics: unread without them.
        let now = pool.metrics.map { metrics in
            let now = pool.clock.now()
            metrics.waitTime.recordNanoseconds(queuedAt.duration(to: now).nanoseconds)
            return now
        }
        if connection.isClosed {
            // Broke while idle, before its closure was reported: forget it and wait again.
            pool.connectionDidClose(connection.id)
            pool.enqueue(self)
            return
        }
        acquireSpan?.end()
        let lease = Lease(
            connection: connection, leasedAt: now,
            isPlace: leaseKind == .pipelinedStatement)
        // Written under the lock, so that a cancellation finds the statement either waiting
        // or running with its request id.
        let request: (PGStartedRequest<PGPendingResult>, PGOperationObserver?)? = guarded.withLock { guarded in
            guard case .waiting(let continuation) = guarded.phase, let query = guarded.query.take() else { return nil }
            // The caller's context is bound for the span to find only when something observes:
            // binding a task-local value is among the costliest steps of a pooled statement.
            let observer =
                connection.observes(logger: logger)
                ? ServiceContext.withValue(context ?? .topLevel) {
                    connection.observe(.statement(query.sql, parameterized: query.isParameterized), logger: logger)
                } : nil
            let started = connection.startQuery(query, observer: observer, callerWaits: false)
            guarded.phase = .running(continuation, connection, started.id)
            return (started, observer)
        }
        guard let (started, observer) = request else {
            // Cancelled meanwhile: the connection goes back unused.
            lease.giveBack(to: pool)
            fail(pool.error(for: .cancelled, lastConnectError: nil), poolLogger: pool.logger)
            return
        }
        started.result.whenComplete { result in
            switch result {
            case .success(let rows):
                if let collected = rows.collectedIfComplete() {
                    lease.giveBack(to: pool)
                    self.finish(.success(.complete(collected, commandTag: rows.commandTag)))
                } else {
                    self.finish(.success(.streaming(rows, lease)))
                }
            case .failure(let error):
                observer?.end(error)
                lease.giveBack(to: pool)
                self.finish(.failure((error as? PGError).map(started.reported) ?? error))
            }
        }
    }

    /// Ends the wait with `error` before the statement started (a timeout, a cancellation, a
    /// shut-down pool), logged at `debug` to the caller's logger or `poolLogger`.
    func fail(_ error: PGError, poolLogger: Logger) {
        (logger ?? poolLogger).debug("no pooled connection", metadata: ["error": "\(error)"])
        if let acquireSpan {
            PGErrorTelemetry(error).apply(to: acquireSpan, error: error)
            acquireSpan.end()
        }
        finish(.failure(error))
    }

    /// The caller's task was cancelled: leave the queue, or cancel the statement if it runs.
    func cancel(in pool: PGPool) {
        let running: (PGConnection, RequestID)? = guarded.withLock { guarded in
            switch guarded.phase {
            case .waiting(let continuation):
                guarded.phase = .cancelledWhileWaiting(continuation)
                return nil
            case .running(_, let connection, let id):
                return (connection, id)
            case .cancelledWhileWaiting, .finishedUnclaimed, .finished:
                return nil
            }
        }
        if let (connection, id) = running {
            connection.cancel([id])
        } else {
            pool.cancelWaiter(waiterID)
        }
    }

    /// Resumes the caller once, moving `result` to it (`resume(with:)` would copy it), or keeps
    /// `result` for it when it has not installed its continuation yet.
    private func finish(_ result: consuming Result<Outcome, any Error>) {
        // Held in an optional that the lock's closure takes only when no one waits yet, so that a
        // waiting caller gets it moved, not copied out of a capture.
        var kept: Result<Outcome, any Error>? = consume result
        let continuation: UnsafeContinuation<Outcome, any Error>? = guarded.withLock { guarded in
            let continuation: UnsafeContinuation<Outcome, any Error>?
            switch guarded.phase {
            case .waiting(let waiting), .cancelledWhileWaiting(let waiting), .running(let waiting, _, _):
                continuation = waiting
            case .finishedUnclaimed, .finished:
                return nil
            }
            if continuation == nil, let outcome = kept.take() {
                guarded.phase = .finishedUnclaimed(outcome)
            } else {
                guarded.phase = .finished
            }
            return continuation
        }
        finishedFlag.store(true, ordering: .releasing)
        guard let continuation, let result = kept.take() else { return }
        switch consume result {
        case .success(let outcome): continuation.resume(returning: outcome)
        case .failure(let error): continuation.resume(throwing: error)
        }
    }
}

extension PooledStatement.Outcome {
    /// The rows (when `keepingRows`) and the command tag, reading a result that was still
    /// arriving and then returning its connection to `pool`.
    nonisolated(nonsending) func finish(
        returningTo pool: PGPool, keepingRows: Bool
    ) async throws -> (rows: [PGRow], commandTag: String?) {
        switch self {
        case .complete(let rows, let tag):
            return (keepingRows ? rows : [], tag)
        case .streaming(let sequence, let lease):
            do {
                var rows: [PGRow] = []
                for try await row in sequence where keepingRows { rows.append(row) }
                lease.giveBack(to: pool)
                return (rows, sequence.commandTag)
            } catch {
                lease.giveBack(to: pool)
                throw error
            }
        }
    }
}
