import PGWire
import Synchronization

/// Requests handed over by callers off the connection's event loop, waiting for the loop to
/// take them all in one turn and write them with one flush.
///
/// Concurrent callers on other threads each append here; only the append that finds the queue
/// empty schedules a turn on the event loop, and that turn takes everything appended until it
/// runs. So a hundred tasks that query at once cost one wake-up of the event loop and one write
/// to the socket, not a hundred — each request still with its own Sync.
final class PGSubmissionQueue: Sendable {
    private let pending = Mutex<PGElementQueue<PGRequest>>(PGElementQueue())

    /// Appends `request`; returns `true` when the queue was empty, so that the caller must
    /// schedule the event loop's turn that takes it (a later append rides on that turn).
    func append(_ request: consuming PGRequest) -> Bool {
        var taken: PGRequest? = consume request  // moved into the lock's closure, not copied
        return pending.withLock { queue in
            if let request = taken.take() { queue.append(request) }
            return queue.count == 1
        }
    }

    /// Takes every request appended so far, in order, into `taken` (which must be empty) and
    /// leaves `taken`'s storage to the queue, so that neither side allocates once both
    /// queues have grown.
    func takeAll(into taken: inout PGElementQueue<PGRequest>) {
        pending.withLock { swap(&$0, &taken) }
    }
}
