import NIOCore

/// When a connection's event loop polls its socket instead of sleeping: while a caller running
/// on that loop (a task pinned to ``PGConnection/executor``) waits for a result, for at most a
/// budget of time (``PGConnection/Options/spinBeforeSleeping``).
///
/// A sleeping loop is woken by the kernel when the answer arrives; on an idle CPU that wake-up
/// takes longer than a local server's whole answer, and the task waits through it. Polling for
/// a budget about as long as that wake-up trades that much CPU for the latency.
///
/// A spin that runs out without an answer (a remote server, a long statement) makes the next
/// ones skip: 1, 2, 4, … up to ``maximumSkips`` requests, so that a connection whose answers
/// take longer than the budget polls for one request in that many. A spin that an answer ends
/// clears the skips.
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
    static let maximumBudget: UInt64 = 1_000_000

    /// The longest spin, in nanoseconds; 0 never spins.
    let budget: UInt64
    /// When the spin under way ends, if one is.
    private(set) var deadline: UInt64?
    /// Whether a poll of the loop is queued (the handler's chain of jobs): at most one is.
    private var pollQueued = false
    /// The requests to skip after the next spin that runs out.
    private var nextSkips = 0
    /// The requests left to skip before spinning again.
    private(set) var skipsLeft = 0
    /// Spins an answer ended, and spins that ran out: for tests and diagnostics.
    private(set) var answered = 0
    private(set) var ranOut = 0

    /// The most requests skipped after spins that ran out.
    static let maximumSkips = 64

    /// A policy that spins for at most `budget`, and never longer than ``maximumBudget``.
    init(budget: Duration) {
        // Compared as durations first: `nanoseconds` wraps for durations beyond Int64's range.
        if budget <= .zero {
            self.budget = 0
        } else if budget >= .nanoseconds(Int64(Self.maximumBudget)) {
            self.budget = Self.maximumBudget
        } else {
            self.budget = UInt64(budget.nanoseconds)
        }
    }

    /// A caller on the loop wrote a request at `now` and waits for its answer. Returns whether
    /// the handler must queue a poll of the loop (``poll(now:)``): a spin starts and none is
    /// queued yet. A spin under way keeps its deadline.
    mutating func requestWritten(now: UInt64) -> Bool {
        guard budget > 0, deadline == nil else { return false }
        if skipsLeft > 0 {
            skipsLeft -= 1
            return false
        }
        deadline = now &+ budget
        guard !pollQueued else { return false }
        pollQueued = true
        return true
    }

    /// The loop read bytes from the socket: the spin under way, if any, did its work.
    mutating func bytesRead() {
        guard deadline != nil else { return }
        deadline = nil
        nextSkips = 0
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
        skipsLeft = max(1, nextSkips)
        nextSkips = min(skipsLeft * 2, Self.maximumSkips)
        return false
    }

    /// The connection closed: no spin goes on.
    mutating func closed() {
        deadline = nil
    }
}
