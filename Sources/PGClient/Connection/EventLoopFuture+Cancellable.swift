import NIOCore
import Synchronization

extension EventLoopFuture where Value: Sendable {
    /// Waits for the future's value, but returns at once with `cancelled` when the calling task
    /// is cancelled: NIO's `get()` waits for a connect or a startup that may never end (a
    /// server that went silent), whatever the task. A value that arrives after the caller left
    /// goes to `lateValue`, which releases it (closes the channel, say).
    func valueOrCancellation(
        _ cancelled: @autoclosure @escaping @Sendable () -> any Error,
        lateValue: @escaping @Sendable (Value) -> Void
    ) async throws -> Value {
        let waiter = CancellableWaiter<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                waiter.wait(continuation, cancelled: cancelled)
                whenComplete { result in
                    if !waiter.resume(with: result), case .success(let value) = result { lateValue(value) }
                }
            }
        } onCancel: {
            waiter.cancel(with: cancelled())
        }
    }
}

/// The continuation of ``EventLoopFuture/valueOrCancellation(_:lateValue:)``, resumed once: by
/// the future or by the cancellation, whichever comes first.
private final class CancellableWaiter<Value: Sendable>: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Value, any Error>)
        case cancelledEarly
        case done
    }

    private let state = Mutex(State.idle)

    func wait(_ continuation: CheckedContinuation<Value, any Error>, cancelled: () -> any Error) {
        let cancelledAlready = state.withLock { state -> Bool in
            if case .cancelledEarly = state {
                state = .done
                return true
            }
            state = .waiting(continuation)
            return false
        }
        if cancelledAlready { continuation.resume(throwing: cancelled()) }
    }

    /// Resumes with the future's result; `false` when the caller had already left.
    func resume(with result: Result<Value, any Error>) -> Bool {
        guard let continuation = take() else { return false }
        continuation.resume(with: result)
        return true
    }

    func cancel(with error: any Error) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            switch state {
            case .idle:
                state = .cancelledEarly
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .cancelledEarly, .done:
                return nil
            }
        }
        continuation?.resume(throwing: error)
    }

    private func take() -> CheckedContinuation<Value, any Error>? {
        state.withLock { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .done
            return continuation
        }
    }
}
