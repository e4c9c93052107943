import Synchronization

/// A query's result (its rows), completed once on the event loop and awaited or observed from
/// any thread.
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

    private enum State {
        /// Not completed: the task awaiting it, if any, and the callbacks to call (the first
        /// inline, as most results have one at most, and an array would cost an allocation).
        case pending(task: UnsafeContinuation<Value, any Error>?, first: Callback?, more: [Callback])
        /// Completed with this result (kept for callbacks and a wait that come later).
        case completed(Result<Value, any Error>)
    }

    private let state = Mutex<State>(.pending(task: nil, first: nil, more: []))

    init() {}

    /// Completes with `result`; a second completion is ignored. Resumes the waiting task and
    /// calls the callbacks, in the calling thread, after the lock is released.
    func complete(_ result: Result<Value, any Error>) {
        let waiters: (UnsafeContinuation<Value, any Error>?, Callback?, [Callback])? = state.withLock { state in
            guard case .pending(let task, let first, let more) = state else { return nil }
            state = .completed(result)
            return (task, first, more)
        }
        guard let (task, first, more) = waiters else { return }
        task?.resume(with: result)
        first?(result)
        for callback in more { callback(result) }
    }

    /// Completes with `value`.
    func succeed(_ value: Value) { complete(.success(value)) }

    /// Completes with `error`.
    func fail(_ error: any Error) { complete(.failure(error)) }

    /// Waits for the result; from any thread, without a hop. One task may wait at a time.
    ///
    /// - Throws: the error the result was failed with.
    nonisolated(nonsending) func value() async throws -> Value {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Value, any Error>) in
            let completed: Result<Value, any Error>? = state.withLock { state in
                switch state {
                case .completed(let result):
                    return result
                case .pending(_, let first, let more):
                    state = .pending(task: continuation, first: first, more: more)
                    return nil
                }
            }
            if let completed { continuation.resume(with: completed) }
        }
    }

    /// Calls `callback` with the result: at once, in this thread, when it is already there,
    /// else in the thread that completes it.
    func whenComplete(_ callback: @escaping Callback) {
        let completed: Result<Value, any Error>? = state.withLock { state in
            switch state {
            case .completed(let result):
                return result
            case .pending(let task, nil, let more):
                state = .pending(task: task, first: callback, more: more)
                return nil
            case .pending(let task, let first, var more):
                state = .pending(task: nil, first: nil, more: [])  // leaves `more` unique: no copy
                more.append(callback)
                state = .pending(task: task, first: first, more: more)
                return nil
            }
        }
        if let completed { callback(completed) }
    }
}
