import NIOCore
import PGWire

/// A request written to its connection and not yet answered: its id (to cancel it), what its
/// first result arrives through, and its deadline, if it has one.
struct PGStartedRequest<Pending: PGRequestResult>: Sendable {
    let id: RequestID
    let result: Pending
    let deadline: RequestDeadline?

    /// The error to report for `error`: a timeout when the deadline passed and cancelled the
    /// request, else `error` itself.
    func reported(_ error: PGError) -> PGError {
        if let deadline, deadline.passed { return error.reportingTimeout(after: deadline.limit) }
        return error
    }

    /// The value of `result`, a result taken without waiting (``CallerSpin``).
    ///
    /// - Throws: what a wait would throw for it (``failure(_:)``).
    func value(of result: consuming Result<Pending.Value, any Error>) throws -> Pending.Value {
        switch consume result {
        case .success(let value): return value
        case .failure(let error): throw failure(error)
        }
    }

    /// What a wait for the request throws when its result is `error`: a ``PGError`` as
    /// ``reported(_:)`` and `reportingCancellation()` make it, any other error as it is.
    // Not inlined into the waiting function: its values would take room in that function's
    // async frame, which a task allocates for every wait.
    @inline(never)
    func failure(_ error: any Error) -> any Error {
        guard let error = error as? PGError else { return error }
        return reported(error).reportingCancellation()
    }
}

/// What a request's first result arrives through: a ``PGCompletion`` (in ``PGPendingResult``,
/// ``PGSimpleResult`` or ``PGPendingValue``) that a task off the event loop awaits without a hop.
protocol PGRequestResult<Value>: Sendable {
    associatedtype Value: Sendable
    /// Resumes `continuation` with the result once it is there: at once when it already is.
    func resumeWhenComplete(_ continuation: UnsafeContinuation<Value, any Error>)
    /// Calls `callback` with the result once it is there.
    func whenComplete(_ callback: @escaping @Sendable (Result<Value, any Error>) -> Void)
}

/// A result that a caller off the event loop may poll for instead of sleeping (``CallerSpin``).
protocol PGPollableResult<Value>: PGRequestResult {
    /// Whether the result has been completed; never waits.
    var isCompleted: Bool { get }
    /// Moves the result out, if it has been completed and no task waits for it.
    func takeIfCompleted() -> Result<Value, any Error>?
}
