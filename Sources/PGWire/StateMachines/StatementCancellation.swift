/// The life of one cancellation: a CancelRequest sent for a running statement, until the
/// statement is seen to end — or, when it does not end within a bound, until the connection is
/// given up.
///
/// A server ignores a CancelRequest that reaches the backend before or between statements (it
/// may overtake the statement it was meant for, which travels on the other connection), so a
/// cancel is not done when it is delivered, only when its statement has ended. While the
/// statement runs on, the cancel is sent again once per tick (the previous one delivered), and
/// after `ticksBeforeGivingUp` ticks the connection is closed: nothing may wait on a statement
/// the server will not stop.
///
/// Requests made meanwhile are held by the shell until ``isActive`` turns false, so that no
/// cancel can reach a statement it was not meant for.
///
/// Pure: ticks arrive as events (``tick()``), sends and deliveries are reported by the shell.
public struct StatementCancellation: Sendable, Hashable {
    /// What the shell must do after an event.
    public enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Send a CancelRequest (on a connection of its own) and report ``cancelDelivered()``
        /// when the server has taken it (or the attempt failed); tick every tick interval
        /// from now on while ``isActive``.
        case sendCancel
        /// The cancellation is over: stop ticking and write the held requests.
        case releaseHeldRequests
        /// The statement did not end in time: close the connection (every request fails).
        case closeConnection
    }

    private enum State: Sendable, Hashable {
        case idle
        case cancelling(Progress)
    }

    private struct Progress: Sendable, Hashable {
        var request: RequestID
        /// CancelRequests sent and not yet delivered.
        var undelivered = 1
        /// Whether the statement has ended (ReadyForQuery, or the connection closed).
        var requestEnded = false
        /// Ticks since the first CancelRequest was sent.
        var ticks = 0
    }

    private var state = State.idle
    /// How many ticks the statement may run on after the first CancelRequest.
    public let ticksBeforeGivingUp: Int

    /// - Parameter ticksBeforeGivingUp: ticks after the first CancelRequest after which a
    ///   statement that has not ended closes the connection (at least 1).
    public init(ticksBeforeGivingUp: Int) {
        self.ticksBeforeGivingUp = max(1, ticksBeforeGivingUp)
    }

    /// Whether a cancellation is under way (new requests must wait).
    public var isActive: Bool {
        if case .cancelling = state { return true }
        return false
    }

    /// The request being cancelled.
    public var request: RequestID? {
        if case .cancelling(let progress) = state { return progress.request }
        return nil
    }

    /// The caller of `request`, the only request in flight, was cancelled.
    public mutating func cancelRequested(_ request: RequestID) -> Action {
        guard case .idle = state else { return .none }
        state = .cancelling(Progress(request: request))
        return .sendCancel
    }

    /// A CancelRequest was delivered (the server closed its connection), or sending it failed.
    public mutating func cancelDelivered() -> Action {
        guard case .cancelling(var progress) = state else { return .none }
        progress.undelivered = max(0, progress.undelivered - 1)
        return settle(progress)
    }

    /// Request `request` ended (its ReadyForQuery arrived).
    public mutating func requestEnded(_ request: RequestID) -> Action {
        guard case .cancelling(var progress) = state, progress.request == request else { return .none }
        progress.requestEnded = true
        return settle(progress)
    }

    /// A tick interval passed since the cancellation started or the last tick.
    public mutating func tick() -> Action {
        guard case .cancelling(var progress) = state, !progress.requestEnded else { return .none }
        progress.ticks += 1
        if progress.ticks >= ticksBeforeGivingUp {
            state = .idle
            return .closeConnection
        }
        guard progress.undelivered == 0 else {
            state = .cancelling(progress)
            return .none
        }
        // The statement goes on although the last cancel was delivered: it may have arrived
        // before the statement started. Once more.
        progress.undelivered = 1
        state = .cancelling(progress)
        return .sendCancel
    }

    /// The connection closed: nothing is being cancelled any more.
    public mutating func connectionClosed() {
        state = .idle
    }

    private mutating func settle(_ progress: Progress) -> Action {
        if progress.requestEnded && progress.undelivered == 0 {
            state = .idle
            return .releaseHeldRequests
        }
        state = .cancelling(progress)
        return .none
    }
}
