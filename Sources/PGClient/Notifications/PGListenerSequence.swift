extension PGListener {
    /// What a ``PGListener`` tells a channel's subscriber.
    public enum Event: Sendable, Hashable {
        /// A notification on the channel.
        case notification(PGNotification)
        /// The listener lost its connection and has connected and listened again: notifications
        /// sent while it was away were missed, so catch up (re-read the state the channel
        /// announces changes of). Every notification sent after this event is delivered.
        case reconnected
    }
}

/// The events of one channel of a ``PGListener``: its notifications, and a
/// ``PGListener/Event/reconnected`` after each reconnect.
///
/// The sequence ends normally when the listener shuts down gracefully (its `ServiceGroup`'s
/// graceful shutdown), and throws when it stops otherwise: ``PGError/Kind/cancelled`` when its
/// task was cancelled, the last connect error when it gave up reconnecting. Dropping the
/// sequence ends the subscription (`UNLISTEN` once the channel's last subscriber has gone).
///
/// ```swift
/// for try await event in await listener.notifications(on: "invoice_paid") {
///     switch event {
///     case .notification(let note): try await markPaid(note.payload)
///     case .reconnected: try await catchUpOnPayments()
///     }
/// }
/// ```
public struct PGListenerSequence: AsyncSequence, Sendable {
    public typealias Element = PGListener.Event
    let stream: AsyncThrowingStream<PGListener.Event, any Error>

    public func makeAsyncIterator() -> AsyncThrowingStream<PGListener.Event, any Error>.Iterator {
        stream.makeAsyncIterator()
    }
}
