/// When a caller off the connection's event loop (a task on Swift's global executor: the
/// default path) polls for its statement's result on its own thread before it sleeps
/// (``PGConnection/Options/callerSpinBeforeSleeping``), for at most a budget of time.
///
/// Why: a caller that sleeps leaves its CPU idle, and the server's answer then wakes the event
/// loop and the loop wakes the caller. On a virtual machine an idle CPU's wake-up takes
/// 20–30 µs, as long as a local server's whole answer. A caller that polls keeps its CPU busy,
/// takes its result without being woken, and leaves the event loop and the server to take
/// turns on the other CPUs without either going idle.
///
/// When:
/// - only while the caller is the only one in the process waiting off an event loop for a
///   statement's result (``CallerWaitingCount``); a second caller ends the spin
///   (``End/interrupted``) and starts none of its own: with concurrent statements, other tasks
///   want the caller's thread, and answers come later anyway;
/// - only after ``sequentialStatementsBeforeSpinning`` statements in a row on the connection
///   (through the pool, for a pool's one-off statements: ``PGPool/callerSpin``) were each
///   alone. Many tasks of one statement each (a group of concurrent queries) must not spin: the
///   first of them is alone while the others have not run yet, and its spin would keep them
///   from its thread;
/// - spins that run out make the next statements skip theirs (``SpinBackoff``).
///
/// Never on an event loop's thread: the shell does not ask then.
///
/// Pure: the shell (``CallerSpin``) tells it what happened and does what it returns.
struct CallerSpinPolicy: Sendable {
    /// How a spin ended.
    enum End: Equatable, Sendable {
        /// The result came.
        case answered
        /// The budget ran out first.
        case ranOut
        /// Another caller started waiting: this one left its thread to the others.
        case interrupted
    }

    /// How many statements in a row must each have been alone before the next one spins.
    static let sequentialStatementsBeforeSpinning = 8

    /// How long a spin lasts at most, in nanoseconds; 0 never spins.
    let budget: UInt64
    /// The connection's (or the pool's) statements in a row whose callers were each alone.
    private(set) var aloneInARow = 0
    /// Which statements skip their spin after spins that ran out.
    private var backoff = SpinBackoff()
    /// The statements left to skip before spinning again.
    var skipsLeft: Int { backoff.skipsLeft }

    /// Spins started, and how they ended: for tests and diagnostics.
    private(set) var started = 0
    private(set) var answered = 0
    private(set) var ranOut = 0
    private(set) var interrupted = 0

    /// A policy that spins for at most `budget`, and never longer than 1 ms.
    init(budget: Duration) {
        self.budget = SpinBackoff.nanoseconds(of: budget)
    }

    /// A caller off the loop wrote a statement and waits for its result; `alone` says whether
    /// it is the only such caller in the process. Returns whether it spins.
    mutating func statementWritten(alone: Bool) -> Bool {
        guard budget > 0 else { return false }
        guard alone else {
            aloneInARow = 0
            return false
        }
        aloneInARow += 1
        guard aloneInARow > Self.sequentialStatementsBeforeSpinning, backoff.mayStart() else { return false }
        started += 1
        return true
    }

    /// The spin that ``statementWritten(alone:)`` started ended with `end`.
    mutating func spinEnded(_ end: End) {
        switch end {
        case .answered:
            answered += 1
            backoff.answered()
        case .ranOut:
            ranOut += 1
            backoff.ranOut()
        case .interrupted:
            interrupted += 1
            aloneInARow = 0
        }
    }
}
