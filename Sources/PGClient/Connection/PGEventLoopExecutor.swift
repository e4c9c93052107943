public import NIOCore
import Synchronization

/// Runs Swift tasks on a connection's event loop, so that code which prefers it talks to the
/// connection without crossing threads.
///
/// A query from a task on Swift's global executor crosses threads twice: to the event loop to
/// write, and back when the result arrives. A task that prefers this executor is already on the
/// event loop: the write happens in place and the result resumes it on the same thread.
///
/// ```swift
/// try await withTaskExecutorPreference(connection.executor) {
///     for id in ids { try await connection.execute("UPDATE jobs SET done = true WHERE id = \(id)") }
/// }
/// ```
///
/// Keep CPU-heavy work off it: everything on the executor delays the connection's I/O.
public final class PGEventLoopExecutor: TaskExecutor, Sendable {
    /// The event loop jobs run on.
    public let eventLoop: any EventLoop
    /// The tasks resumed while a connection's handler delivers results on the event loop.
    let delivered = PGDeliveredJobs()

    /// Wraps an event loop.
    ///
    /// Tasks that prefer an executor made here run as the event loop's tasks. Those that prefer
    /// ``PGConnection/executor`` or one of ``PGPool/executors`` resume without that, right
    /// after the connection's handler delivered their results.
    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if eventLoop.inEventLoop, delivered.collect(job) { return }
        let executor = asUnownedTaskExecutor()
        eventLoop.execute {
            job.runSynchronously(on: executor)
        }
    }
}

extension PGEventLoopExecutor {
    /// The executor of `eventLoop` that the connections on it deliver through: the same object
    /// for as long as something holds it (each connection's handler does), made on first use.
    static func shared(for eventLoop: any EventLoop) -> PGEventLoopExecutor {
        sharedExecutors.withLock { executors in
            let key = ObjectIdentifier(eventLoop)
            if let executor = executors[key]?.executor { return executor }
            // An entry whose executor is gone belonged to an event loop that may be gone too;
            // another may now have its address.
            executors = executors.filter { $0.value.executor != nil }
            let executor = PGEventLoopExecutor(eventLoop: eventLoop)
            executors[key] = WeakExecutor(executor: executor)
            return executor
        }
    }

    private struct WeakExecutor: Sendable {
        weak var executor: PGEventLoopExecutor?
    }

    private static let sharedExecutors = Mutex<[ObjectIdentifier: WeakExecutor]>([:])
}

/// The jobs of tasks resumed on an executor while a connection's handler delivers results on
/// the executor's event loop, kept to run right after it (``PGEventLoopExecutor/delivered``).
///
/// Scheduled as the event loop's tasks instead, each would cost a closure, the loop's task
/// queue and its lock: more than a twentieth of what the driver runs for a statement. Only the
/// event loop's thread uses it; the lock is never contended.
final class PGDeliveredJobs: Sendable {
    /// How many deliveries are under way (one inside another when a channel delivers
    /// synchronously, as an `EmbeddedChannel` does). An atomic, not under the lock: most
    /// deliveries resume no task on this executor (its callers wait on Swift's global
    /// executor), and they then take no lock at all.
    private let depth = Atomic<Int>(0)

    private struct Jobs {
        var collected: [UnownedJob] = []
        /// The storage the next run of jobs swaps with, so that collecting allocates nothing.
        var spare: [UnownedJob] = []
    }

    private let jobs = Mutex(Jobs())
    /// Whether `jobs` holds any collected job, read without the lock when a delivery ends.
    private let hasJobs = Atomic<Bool>(false)

    /// Keeps `job` for the end of the delivery under way; `false` when there is none.
    func collect(_ job: UnownedJob) -> Bool {
        guard depth.load(ordering: .relaxed) > 0 else { return false }
        jobs.withLock { $0.collected.append(job) }
        hasJobs.store(true, ordering: .relaxed)
        return true
    }

    /// Runs `deliver` (a handler giving results to their callers, on the event loop); the tasks
    /// resumed on the executor meanwhile run right after it, on `executor`, in the order they
    /// were resumed. A task resumed while they run is scheduled on the event loop as usual: two
    /// tasks resuming each other must not keep the loop from its I/O.
    func delivering<Result>(on executor: UnownedTaskExecutor, _ deliver: () -> Result) -> Result {
        depth.wrappingAdd(1, ordering: .relaxed)
        defer {
            if depth.wrappingSubtract(1, ordering: .relaxed).newValue == 0, hasJobs.load(ordering: .relaxed) {
                runCollected(on: executor)
            }
        }
        return deliver()
    }

    private func runCollected(on executor: UnownedTaskExecutor) {
        hasJobs.store(false, ordering: .relaxed)
        var ready: [UnownedJob] = jobs.withLock { jobs in
            var ready = jobs.spare
            jobs.spare = []
            swap(&ready, &jobs.collected)
            return ready
        }
        for job in ready { job.runSynchronously(on: executor) }
        ready.removeAll(keepingCapacity: true)
        jobs.withLock { $0.spare = ready }
    }
}

extension PGConnection {
    /// An executor on this connection's event loop, for `withTaskExecutorPreference`: the one
    /// its handler delivers results through, so that a task preferring it resumes without a
    /// turn of the loop.
    public var executor: PGEventLoopExecutor { PGEventLoopExecutor.shared(for: channel.eventLoop) }
}
