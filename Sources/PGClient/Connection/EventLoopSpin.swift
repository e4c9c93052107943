import NIOCore

/// When a connection's event loop polls its socket instead of sleeping: while a caller running
/// on that loop (a task pinned to ``PGConnection/executor``) waits for a result, for at most a
/// budget of time (``PGConnection/Options/spinBeforeSleeping``).
///
/// A sleeping loop is woken by the kernel when the answer arrives; on an idle CPU that wake-up
/// takes longer than a local server's whole answer, and the task waits through it. Polling
/// trades up to the budget's CPU for that latency; the budget covers a local server's usual
/// answers (an INSERT as well as a `SELECT 1`), so that few spins run out.
///
/// Spins that run out make the next requests skip theirs (``SpinBackoff``).
///
/// Pure: the channel handler tells it what happened, with the time, and does what it returns.
struct EventLoopSpin {
    /// How often a spinning loop looks at its socket. SwiftNIO runs every job that is due
    /// before it looks at its sockets again, so a poll queued as a job due at once would keep
    /// the loop from them for the whole spin; a poll due a little later ends the loop's run of
    /// jobs, and the loop waits on its sockets until then. 5 µs took the answers soonest on the
    /// benchmark machine (2 µs: as soon, with more CPU; 10 µs: later).
    static let pollInterval = TimeAmount.microseconds(5)

    /// The longest budget, in nanoseconds (1 ms); a longer one counts as this. Where the loop's
    /// own work between two polls takes longer than ``pollInterval`` (a debug build, a starved
    /// CPU), each poll is due by the time SwiftNIO looks for jobs again, and the loop does not
    /// get to its sockets until the spin ends: the budget bounds that wait.
    static let maximumBudget = SpinBackoff.maximumBudget

    /// The longest spin, in nanoseconds; 0 never spins.
    let budget: UInt64
    /// When the spin under way ends, if one is.
    private(set) var deadline: UInt64?
    /// Whether a poll of the loop is queued (the handler's chain of jobs): at most one is.
    private var pollQueued = false
    /// Which requests skip their spin after spins that ran out.
    private var backoff = SpinBackoff()
    /// The requests left to skip before spinning again.
    var skipsLeft: Int { backoff.skipsLeft }
    /// Spins an answer ended, and spins that ran out: for tests and diagnostics.
    private(set) var answered = 0
    private(set) var ranOut = 0

    /// The most requests skipped after spins that ran out.
    static let maximumSkips = SpinBackoff.maximumSkips

    /// A policy that spins for at most `budget`, and never longer than ``maximumBudget``.
    init(budget: Duration) {
        self.budget = SpinBackoff.nanoseconds(of: budget)
    }

    /// A caller on the loop wrote a request at `now` and waits for its answer. Returns whether
    /// the handler must queue a poll of the loop (``poll(now:)``): a spin starts and none is
    /// queued yet. A spin under way keeps its deadline.
    mutating func requestWritten(now: UInt64) -> Bool {
        guard budget > 0, deadline == nil, backoff.mayStart() else { return false }
        deadline = now &+ budget
        guard !pollQueued else { return false }
        pollQueued = true
        return true
    }

    /// The loop read bytes from the socket: the spin under way, if any, did its work.
    mutating func bytesRead() {
        guard deadline != nil else { return }
        deadline = nil
        backoff.answered()
        answered += 1
    }

    /// A queued poll runs at `now`, after the loop looked at its socket without sleeping.
    /// Returns whether to queue another.
    mutating func poll(now: UInt64) -> Bool {
        guard let deadline else {
            pollQueued = false
            return false
        }
        guard now >= deadline else { return true }
        self.deadline = nil
        pollQueued = false
        ranOut += 1
        backoff.ranOut()
        return false
    }

    /// The connection closed: no spin goes on.
    mutating func closed() {
        deadline = nil
    }
}
