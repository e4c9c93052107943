import NIOCore
import PGWire
import Synchronization

/// A request's deadline (``PGConnection/Options/requestTimeout``): when it passes before the
/// request has its result (for a query, before its rows begin), the request is cancelled as if
/// its task were, and the caller reports the timeout.
final class RequestDeadline: Sendable {
    /// How long the request was given.
    let limit: Duration
    private let fired = Atomic<Bool>(false)

    /// Whether the deadline passed and cancelled the request.
    var passed: Bool { fired.load(ordering: .acquiring) }

    init(_ id: RequestID, after limit: Duration, on connection: PGConnection, until result: some PGRequestResult) {
        self.limit = limit
        let timer = connection.channel.eventLoop.scheduleTask(in: .nanoseconds(limit.nanoseconds)) { [self] in
            fired.store(true, ordering: .releasing)
            connection.cancel([id])
        }
        result.whenComplete { _ in timer.cancel() }
    }
}
