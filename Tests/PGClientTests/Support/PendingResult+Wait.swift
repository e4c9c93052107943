import Synchronization

@testable import PGClient

extension PGRequestResult {
    /// The result, which must be there already (an `EmbeddedChannel` delivers synchronously).
    ///
    /// - Throws: the error it was failed with, or `NotYetCompleted`.
    func wait() throws -> Value {
        let outcome = Mutex<Result<Value, any Error>?>(nil)
        whenComplete { result in outcome.withLock { $0 = result } }
        guard let result = outcome.withLock({ $0 }) else { throw NotYetCompleted() }
        return try result.get()
    }
}

/// ``PGRequestResult/wait()`` found no result yet.
struct NotYetCompleted: Error {}
