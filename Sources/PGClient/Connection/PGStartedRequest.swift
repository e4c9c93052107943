import NIOCore
import PGWire

/// A request written to its connection and not yet answered: its id (to cancel it), the future
/// of its first result, and its deadline, if it has one.
struct PGStartedRequest<Result: Sendable>: Sendable {
    let id: RequestID
    let result: EventLoopFuture<Result>
    let deadline: RequestDeadline?

    /// The error to report for `error`: a timeout when the deadline passed and cancelled the
    /// request, else `error` itself.
    func reported(_ error: PGError) -> PGError {
        if let deadline, deadline.passed { return error.reportingTimeout(after: deadline.limit) }
        return error
    }
}
