import NIOCore
import NIOPosix
import Synchronization

/// The shell of ``CallerSpinPolicy``: counts a caller off the event loop in as waiting, asks
/// the policy whether it spins, polls the result's completion flag, and tells the policy how
/// the spin ended.
final class CallerSpin: Sendable {
    /// Who else waits: the process's count, or a test's own.
    let waiting: CallerWaitingCount
    private let policy: Mutex<CallerSpinPolicy>
    /// Whether the policy may be counting a run of statements whose callers were alone, which
    /// a caller among others must end. Read before taking the lock: callers among others (a
    /// hundred tasks on one connection) then take it only to end a run, not for every
    /// statement on every thread. Set under the lock; a caller that reads it just before it
    /// is set leaves one run uncounted as ended, which delays no result.
    private let runMayBeOpen = Atomic<Bool>(false)
    /// How long a spin lasts at most, in nanoseconds; 0 never spins.
    let budget: UInt64

    init(budget: Duration, waiting: CallerWaitingCount = .process) {
        let policy = CallerSpinPolicy(budget: budget)
        self.budget = policy.budget
        self.policy = Mutex(policy)
        self.waiting = waiting
    }

    /// The policy as it stands: for tests and diagnostics.
    var state: CallerSpinPolicy { policy.withLock { $0 } }

    /// Counts the calling thread's caller in as waiting off `eventLoop`. Returns whether it
    /// counts (`false` on `eventLoop` itself or on any other event loop's thread, where nothing
    /// polls), and whether it is the only caller waiting. A caller that counts must call
    /// ``finishedWaiting()`` when its wait ends, however it ends.
    func startWaiting(on eventLoop: any EventLoop) -> (counted: Bool, alone: Bool) {
        eventLoop.inEventLoop ? (false, false) : startWaitingOffEventLoops()
    }

    /// Counts the calling thread's caller in as waiting for a statement on a connection not
    /// known yet (a pool's one-off statement): as ``startWaiting(on:)``, with any event loop's
    /// thread not counted.
    func startWaitingOffEventLoops() -> (counted: Bool, alone: Bool) {
        guard MultiThreadedEventLoopGroup.currentEventLoop == nil else { return (false, false) }
        return (true, waiting.enter())
    }

    /// A caller counted in by ``startWaiting(on:)`` has its result, or failed.
    func finishedWaiting() {
        waiting.leave()
    }

    /// Polls for `result` when the policy says so, and returns it, taken from `result`, if it
    /// came; `nil` leaves the caller to wait for it by sleeping.
    func poll<Pending: PGPollableResult>(for result: Pending, alone: Bool) -> Result<Pending.Value, any Error>? {
        poll(alone: alone, until: result.isCompleted) ? result.takeIfCompleted() : nil
    }

    /// Polls until `isCompleted` returns `true`, when the policy says so; returns whether it did
    /// (`false` leaves the caller to wait by sleeping).
    func poll(alone: Bool, until isCompleted: @autoclosure () -> Bool) -> Bool {
        if !alone, !runMayBeOpen.load(ordering: .relaxed) { return false }
        let spins = policy.withLock { policy in
            let spins = policy.statementWritten(alone: alone)
            runMayBeOpen.store(policy.aloneInARow > 0, ordering: .relaxed)
            return spins
        }
        guard spins else { return false }
        let end = spin(until: isCompleted)
        policy.withLock { $0.spinEnded(end) }
        return end == .answered
    }

    /// Polls until `isCompleted` returns `true`, the budget runs out or another caller waits too.
    private func spin(until isCompleted: () -> Bool) -> CallerSpinPolicy.End {
        let deadline = NIODeadline.now().uptimeNanoseconds &+ budget
        var polls: UInt32 = 0
        while !isCompleted() {
            polls &+= 1
            // The clock and the shared count are read every 32 polls: the completion flag is
            // the one thing worth reading as often as possible.
            guard polls & 31 == 0 else { continue }
            if waiting.current > 1 { return .interrupted }
            if NIODeadline.now().uptimeNanoseconds >= deadline { return .ranOut }
        }
        return .answered
    }
}
