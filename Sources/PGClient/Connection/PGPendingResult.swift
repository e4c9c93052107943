import NIOCore
import PGWire
import Synchronization

/// A query and its result (its rows), completed once on the event loop and awaited or observed
/// from any thread.
///
/// The query rides here, in the object its caller allocates anyway, rather than beside it in
/// the request: a request is then one reference for the event loop to take apart, and its
/// query is read where it is kept instead of copied out of the request each time.
///
/// It stands where an `EventLoopPromise` would: a task awaiting an `EventLoopFuture` from off
/// its event loop first hops to the loop to register its callback (one more job for the loop,
/// and at times one more wake-up, per statement), and on the loop the future costs an object, a
/// callback and a callback list. Here the waiter and the result meet under a lock, wherever
/// each comes from.
///
/// Not generic: a generic class's deinit looks up the metadata of its stored state's type at
/// run time, in a shared cache, once for every statement.
final class PGPendingResult: Sendable {
    typealias Value = PGRowSequence
    typealias Callback = @Sendable (Result<Value, any Error>) -> Void

    /// Who waits for the result: the task awaiting it, if any, and the callbacks to call (the
    /// first inline, as most results have one at most, and an array would cost an allocation).
    ///
    /// A struct rather than a tuple: a closure in a tuple that `withLock` returns (a generic
    /// result) is converted to the generic form and back, which allocates each time.
    private struct Waiters {
        var task: UnsafeContinuation<Value, any Error>?
        var first: Callback?
        var more: [Callback] = []
    }

    private enum State {
        /// Not completed yet.
        case pending(Waiters)
        /// Completed with this result (kept for callbacks and a wait that come later).
        ///
        /// Boxed: a result is large, and a task that waits alone never keeps one here. In the
        /// state's own storage, every change of state (three per statement) destroyed the old
        /// state through its type's value witness.
        indirect case completed(Result<Value, any Error>)
        /// Completed, and the result moved to the task that was waiting for it, as no callback
        /// was registered: kept, it would be copied once more and released only with this
        /// object. Nothing asks for it later (see ``whenComplete(_:)``).
        case taken

        /// What a wait or a callback that comes now is given: the result, or once a task took
        /// it, ``PGPendingResult/takenError``; `nil` while it is pending.
        var outcome: Result<Value, any Error>? {
            switch self {
            case .completed(let result): result
            case .taken: .failure(PGPendingResult.takenError)
            case .pending: nil
            }
        }
    }

    private let state = Mutex<State>(.pending(Waiters()))

    /// Set once the result is completed: a caller polling for it (``CallerSpin``) reads this
    /// instead of taking the lock the event loop completes it under.
    private let completedFlag = Atomic<Bool>(false)

    /// Whether the result has been completed; never waits.
    var isCompleted: Bool { completedFlag.load(ordering: .acquiring) }

    /// The statement whose result this is.
    let query: PGQuery

    /// The statement as the request pipeline plans it, read in place: reading it through
    /// `query` from outside copies the whole query first.
    var statementSpec: StatementSpec { query.statementSpec }

    /// Writes the statement as `write` plans it, with its Sync, reading the query in place (for
    /// the reason above).
    func write(_ write: StatementWrite, into out: inout ByteBuffer) throws(PGWireError) {
        try write.write(query.bindings, sql: query.sql, into: &out, sync: true)
    }

    /// A result not completed yet, for `query`.
    init(query: PGQuery) {
        self.query = query
    }

    /// Completes with `result`; a second completion is ignored. Calls the callbacks and resumes
    /// the waiting task, in the calling thread, after the lock is released.
    ///
    /// A task that waits alone takes the result by move; it is kept (a copy) only for callbacks
    /// and for a wait that comes later.
    func complete(_ result: consuming Result<Value, any Error>) {
        // Held in an optional that the lock's closure reads and the waiting task takes, so
        // that a task waiting alone gets the result moved, not copied out of a capture.
        var result: Result<Value, any Error>? = consume result
        let waiters: Waiters? = state.withLock { state in
            guard case .pending(let waiters) = state else { return nil }
            if waiters.first == nil, waiters.task != nil {
                state = .taken
            } else if let result {
                state = .completed(result)
            }
            return waiters
        }
        guard let waiters, let result = result.take() else { return }
        completedFlag.store(true, ordering: .releasing)
        waiters.first?(result)
        for callback in waiters.more { callback(result) }
        waiters.task?.resume(with: result)
    }

    /// Completes with `value`.
    func succeed(_ value: consuming Value) { complete(.success(consume value)) }

    /// Completes with `error`.
    func fail(_ error: any Error) { complete(.failure(error)) }

    /// What a wait or a callback that comes after the waiting task (or a caller that polled for
    /// it) took the result is given (no caller of this type does that: a pool's statement
    /// registers its callback and never waits, a deadline registers before its caller waits).
    fileprivate static var takenError: PGError {
        PGError(.invalidUsage, message: "the result was already taken by the task that waited for it", requestWasSent: true)
    }

    /// Resumes `continuation` with the result once it is there (at once, in this thread, when it
    /// already is); from any thread, without a hop. One task may wait at a time.
    func resumeWhenComplete(_ continuation: UnsafeContinuation<Value, any Error>) {
        let completed: Result<Value, any Error>? = state.withLock { state in
            guard case .pending(var waiters) = state else { return state.outcome }
            waiters.task = continuation
            state = .pending(waiters)
            return nil
        }
        if let completed { continuation.resume(with: completed) }
    }

    /// Moves the result out, if it has been completed and no task waits for it: for a caller
    /// that polled for it instead of waiting (``CallerSpin``). What comes later is given
    /// ``takenError``, as after a waiting task took it.
    func takeIfCompleted() -> Result<Value, any Error>? {
        state.withLock { state in
            guard case .completed(let result) = state else { return nil }
            state = .taken
            return result
        }
    }

    /// The result, if it has been completed; never waits.
    func resultIfCompleted() -> Result<Value, any Error>? {
        state.withLock { $0.outcome }
    }

    /// Calls `callback` with the result: at once, in this thread, when it is already there,
    /// else in the thread that completes it.
    func whenComplete(_ callback: @escaping Callback) {
        let completed: Result<Value, any Error>? = state.withLock { state in
            guard case .pending(var waiters) = state else { return state.outcome }
            state = .pending(Waiters())  // leaves `waiters.more` unique: no copy
            if waiters.first == nil {
                waiters.first = callback
            } else {
                waiters.more.append(callback)
            }
            state = .pending(waiters)
            return nil
        }
        if let completed { callback(completed) }
    }
}
