import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import PGClient

/// Tasks that prefer a connection's executor, resumed while its handler delivers results:
/// they run right after the delivery, before the event loop's other work, and none is lost.
@Suite("A connection's executor and the results its handler delivers")
struct EventLoopExecutorTests {
    /// A task pinned to `executor` that records `name` in `order` when `gate` opens.
    private static func pinnedTask(
        on executor: PGEventLoopExecutor, waitingFor gate: Gate, recording name: String, in order: Recorder
    ) -> Task<Void, Never> {
        Task(executorPreference: executor) {
            await gate.wait()
            order.append(name)
        }
    }

    /// An event loop's shared executor and a task pinned to it that waits at a gate, recording
    /// "task" when the gate opens; returns once the task waits.
    private struct WaitingTask {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor: PGEventLoopExecutor
        let order = Recorder()
        let gate = Gate()
        let task: Task<Void, Never>

        init() async throws {
            executor = PGEventLoopExecutor.shared(for: loop)
            task = EventLoopExecutorTests.pinnedTask(on: executor, waitingFor: gate, recording: "task", in: order)
            try await gate.untilWaiting()
        }
    }

    @Test func aTaskResumedDuringADeliveryRunsRightAfterItBeforeTheLoopsQueuedWork() async throws {
        let waiting = try await WaitingTask()
        let (loop, executor, order, gate, task) = (waiting.loop, waiting.executor, waiting.order, waiting.gate, waiting.task)
        try await loop.submit {
            executor.delivered.delivering(on: executor.asUnownedTaskExecutor()) {
                loop.execute { order.append("queued during the delivery") }
                gate.open()
                order.append("delivered")
            }
            order.append("after the delivery")
        }.get()
        await task.value
        try await loop.submit {}.get()
        #expect(order.lines == ["delivered", "task", "after the delivery", "queued during the delivery"])
    }

    @Test func aTaskResumedOutsideADeliveryRunsAsTheLoopsWork() async throws {
        let waiting = try await WaitingTask()
        let (loop, order, gate, task) = (waiting.loop, waiting.order, waiting.gate, waiting.task)
        try await loop.submit {
            gate.open()
            order.append("resumed")
        }.get()
        await task.value
        #expect(order.lines == ["resumed", "task"])
    }

    @Test func tasksResumedByTasksRunningAfterADeliveryAreNotLost() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = PGEventLoopExecutor.shared(for: loop)
        let order = Recorder()
        let first = Gate()
        let second = Gate()
        let waiting = Self.pinnedTask(on: executor, waitingFor: second, recording: "second", in: order)
        let opener = Task(executorPreference: executor) {
            await first.wait()
            order.append("first")
            second.open()  // while the delivery's jobs run: scheduled on the loop, not run here
            order.append("first, after opening")
        }
        try await first.untilWaiting()
        try await second.untilWaiting()
        try await loop.submit {
            executor.delivered.delivering(on: executor.asUnownedTaskExecutor()) { first.open() }
        }.get()
        await opener.value
        await waiting.value
        #expect(order.lines == ["first", "first, after opening", "second"])
    }

    @Test func eachEventLoopHasOneSharedExecutorWhileItIsHeld() {
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let executors = loops.map { PGEventLoopExecutor.shared(for: $0) }
        for (loop, executor) in zip(loops, executors) {
            #expect(PGEventLoopExecutor.shared(for: loop) === executor)
            #expect(executor.eventLoop === loop)
        }
        if loops.count > 1 { #expect(executors[0] !== executors[1]) }
    }
}

/// The order things happened in, from any thread.
private final class Recorder: Sendable {
    private let recorded = Mutex<[String]>([])
    func append(_ line: String) { recorded.withLock { $0.append(line) } }
    var lines: [String] { recorded.withLock { $0 } }
}

/// A one-shot gate a task waits at, opened from anywhere.
private final class Gate: Sendable {
    private let state = Mutex<(waiter: CheckedContinuation<Void, Never>?, open: Bool)>((nil, false))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.open { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Returns once a task waits at the gate.
    func untilWaiting() async throws {
        while state.withLock({ $0.waiter == nil && !$0.open }) { try await Task.sleep(for: .milliseconds(1)) }
    }

    func open() {
        let waiter = state.withLock { state in
            state.open = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
