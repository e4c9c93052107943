import Synchronization

/// A bound on work that may never end (a server that accepts and stays silent).
package enum PGDeadline {
    /// Returns `operation`'s result, or `onTimeout()`'s when `limit` passes first; the operation
    /// is then cancelled. Unlike a task group, it does not wait for an operation stuck on a
    /// silent server.
    package static func run<Value: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async -> Value,
        onTimeout: @escaping @Sendable () -> Value
    ) async -> Value {
        let waiter = DeadlineWaiter<Value>()
        return await withCheckedContinuation { continuation in
            waiter.set(continuation)
            let work = Task { waiter.finish(await operation()) }
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                // The timeout's result first: cancelled, the work may otherwise finish first with
                // what its cancellation made of it (a connect "cancelled", not timed out).
                waiter.finish(onTimeout())
                work.cancel()
            }
            // The timer need not sleep on once the work is done.
            Task {
                _ = await work.value
                timer.cancel()
            }
        }
    }
}

/// The continuation of ``PGDeadline/run(_:_:onTimeout:)``, resumed by whichever side finishes
/// first. A class so that both tasks share it; its one field sits behind a lock.
private final class DeadlineWaiter<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value, Never>?>(nil)

    func set(_ waiting: CheckedContinuation<Value, Never>) {
        continuation.withLock { $0 = waiting }
    }

    /// Resumes the caller with `value`, unless the other side already did.
    func finish(_ value: Value) {
        let taken = continuation.withLock { slot in
            defer { slot = nil }
            return slot
        }
        taken?.resume(returning: value)
    }
}
