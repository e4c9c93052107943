import NIOPosix
import Synchronization
import Testing

@testable import PGClient

@Suite("A request's pending result, completed on one thread and awaited on another")
struct PendingResultTests {
    struct Failure: Error, Equatable {}

    @Test func aResultCompletedBeforeTheWaitIsReturnedAtOnce() async throws {
        let result = PGPendingResult<Int>()
        result.succeed(7)
        #expect(try await result.value() == 7)
    }

    @Test func aWaitingTaskIsResumedByTheCompletion() async throws {
        let result = PGPendingResult<Int>()
        async let value = result.value()
        try await Task.sleep(for: .milliseconds(20))
        result.succeed(8)
        #expect(try await value == 8)
    }

    @Test func aFailureIsThrownToTheWaiter() async {
        let result = PGPendingResult<Int>()
        result.fail(Failure())
        await #expect(throws: Failure.self) { try await result.value() }
    }

    @Test func onlyTheFirstCompletionCounts() async throws {
        let result = PGPendingResult<Int>()
        result.succeed(1)
        result.succeed(2)
        result.fail(Failure())
        #expect(try await result.value() == 1)
        #expect(try result.wait() == 1)
    }

    @Test func callbacksBeforeAndAfterTheCompletionAreEachCalledOnce() throws {
        let result = PGPendingResult<Int>()
        let calls = Mutex<[String]>([])
        result.whenComplete { outcome in calls.withLock { $0.append("early \((try? outcome.get()) ?? -1)") } }
        result.whenComplete { outcome in calls.withLock { $0.append("second \((try? outcome.get()) ?? -1)") } }
        #expect(calls.withLock { $0 }.isEmpty)
        result.succeed(3)
        result.whenComplete { outcome in calls.withLock { $0.append("late \((try? outcome.get()) ?? -1)") } }
        result.succeed(4)
        #expect(calls.withLock { $0 } == ["early 3", "second 3", "late 3"])
    }

    @Test func aWaiterAndCallbacksAllGetTheResult() async throws {
        let result = PGPendingResult<Int>()
        let seen = Mutex<Int?>(nil)
        result.whenComplete { outcome in seen.withLock { $0 = try? outcome.get() } }
        async let value = result.value()
        try await Task.sleep(for: .milliseconds(20))
        result.succeed(5)
        #expect(try await value == 5)
        #expect(seen.withLock { $0 } == 5)
    }

    @Test func resultsCompletedOnAnEventLoopWhileTasksWaitAreNeitherLostNorCrossed() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let results = (0..<2_000).map { _ in PGPendingResult<Int>() }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, result) in results.enumerated() {
                group.addTask { try await result.value() == index }
                // Completed on the event loop, racing the task that waits for it.
                loop.execute { result.succeed(index) }
            }
            var matched = 0
            for try await ok in group where ok { matched += 1 }
            #expect(matched == results.count)
        }
    }
}
