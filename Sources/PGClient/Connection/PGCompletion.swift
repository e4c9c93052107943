import Synchronization

/// A request's result, completed once on the event loop and awaited, polled or observed from
/// any thread: the waiter and the result meet under a lock, wherever each comes from.
///
/// It stands where an `EventLoopPromise` would: a task awaiting an `EventLoopFuture` from off
/// its event loop first hops to the loop to register its callback (one more job for the loop,
/// and at times one more wake-up, per statement), and on the loop the future costs an object, a
/// callback and a callback list. A caller polling for the result (``CallerSpin``) reads a flag
/// instead of taking the lock.
///
/// A struct kept in a non-generic class (``PGPendingResult``, ``PGSimpleResult``): a generic
/// class's deinit looks up the metadata of its stored state's type at run time, in a shared
/// cache, once for every statement.
struct PGCompletion<Value: Sendable>: ~Copyable, Sendable {
    typealias Callback = @Sendable (Result<Value, any Error>) -> Void

    // `Waiters` and `State` are not private: Swift 6.3 emits a broken module when another
    // file's specialization of this struct refers to a private type nested in it.

    /// Who waits for the result: the task awaiting it, if any, and the callbacks to call (the
    /// first inline, as most results have one at most, and an array would cost an allocation).
    ///
    /// A struct rather than a tuple: a closure in a tuple that `withLock` returns (a generic
    /// result) is converted to the generic form and back, which allocates each time.
    struct Waiters {
        var task: UnsafeContinuation<Value, any Error>?
        var first: Callback?
        var more: [Callback] = []
    }

    enum State {
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
        /// value. Nothing asks for it later (see ``whenComplete(_:)``).
        case taken

        /// What a wait or a callback that comes now is given: the result, or once a task took
        /// it, ``PGCompletion/takenError``; `nil` while it is pending.
        var outcome: Result<Value, any Error>? {
            switch self {
            case .completed(let result): result
            case .taken: .failure(PGCompletion.takenError)
            case .pending: nil
            }
        }
    }

    private let state = Mutex<State>(.pending(Waiters()))

    /// Set once the result is completed: a caller polling for it reads this instead of taking
    /// the lock the event loop completes it under.
    private let completedFlag = Atomic<Bool>(false)

    init() {}

    /// Whether the result has been completed; never waits.
    var isCompleted: Bool { completedFlag.load(ordering: .acquiring) }

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
        if let first = waiters.first {
            first(result)
            for callback in waiters.more { callback(result) }
        }
        // Consumed: resuming with a copy copied the result and then destroyed it.
        if let task = waiters.task { task.resume(with: consume result) }
    }

    /// What a wait or a callback that comes after the waiting task (or a caller that polled for
    /// it) took the result is given (no caller does that: a pool's statement registers its
    /// callback and never waits, a deadline registers before its caller waits).
    static var takenError: PGError {
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
