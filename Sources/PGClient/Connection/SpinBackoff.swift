/// Which requests skip their spin after spins that ran out, for both kinds of polling for an
/// answer: the event loop's for a caller on it (``EventLoopSpin``) and a caller's own off the
/// loop (``CallerSpin``).
///
/// A spin that runs out without an answer (a remote server, a long statement) makes the next
/// ones skip: 1, 2, 4, … up to ``maximumSkips`` requests, so that a connection whose answers
/// take longer than the budget polls for one request in that many. A spin that an answer ends
/// clears the skips.
///
/// Pure: its owner tells it how each spin ended.
struct SpinBackoff: Sendable {
    /// The most requests skipped after spins that ran out.
    static let maximumSkips = 64

    /// The longest budget any spin has, in nanoseconds (1 ms); a longer one counts as this.
    static let maximumBudget: UInt64 = 1_000_000

    /// The requests to skip after the next spin that runs out.
    private var nextSkips = 0
    /// The requests left to skip before spinning again.
    private(set) var skipsLeft = 0

    /// `budget` in nanoseconds, at most ``maximumBudget``; 0 for none.
    static func nanoseconds(of budget: Duration) -> UInt64 {
        // Compared as durations first: `nanoseconds` wraps for durations beyond Int64's range.
        if budget <= .zero { return 0 }
        if budget >= .nanoseconds(Int64(maximumBudget)) { return maximumBudget }
        return UInt64(budget.nanoseconds)
    }

    /// A request could spin: returns whether it may, and counts a skip when it may not.
    mutating func mayStart() -> Bool {
        guard skipsLeft == 0 else {
            skipsLeft -= 1
            return false
        }
        return true
    }

    /// A spin ended with its answer: no skips after the next one that runs out but one.
    mutating func answered() {
        nextSkips = 0
    }

    /// A spin ran out before its answer came: the next requests skip, twice as many each time
    /// in a row, up to ``maximumSkips``.
    mutating func ranOut() {
        skipsLeft = max(1, nextSkips)
        nextSkips = min(skipsLeft * 2, Self.maximumSkips)
    }
}
