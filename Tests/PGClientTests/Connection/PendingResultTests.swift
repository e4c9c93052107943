import NIOPosix
import Synchronization
import Testing

@testable import PGClient

@Suite("A query's pending result, completed on one thread and awaited on another")
struct PendingResultTests {
    struct Failure: Error, Equatable {}

    @Test func aResultCompletedBeforeTheWaitIsReturnedAtOnce() async throws {
        let result = PGPendingResult(query: "SELECT 1")
        result.succeed(.numbered(7))
        #expect(try await result.value().number == 7)
    }

    @Test func aWaitingTaskIsResumedByTheCompletion() async throws {
        let result = PGPendingResult(query: "SELECT 1")
        async let value = result.value()
        try await Task.sleep(for: .milliseconds(20))
        result.succeed(.numbered(8))
        #expect(try await value.number == 8)
    }

    @Test func aFailureIsThrownToTheWaiter() async {
        let result = PGPendingResult(query: "SELECT 1")
        result.fail(Failure())
        await #expect(throws: Failure.self) { try await result.value() }
    }

    @Test func onlyTheFirstCompletionCounts() async throws {
        let result = PGPendingResult(query: "SELECT 1")
        result.succeed(.numbered(1))
        result.succeed(.numbered(2))
        result.fail(Failure())
        #expect(try await result.value().number == 1)
        #expect(try result.wait().number == 1)
    }

    @Test func callbacksBeforeAndAfterTheCompletionAreEachCalledOnce() throws {
        let result = PGPendingResult(query: "SELECT 1")
        let calls = Mutex<[String]>([])
        result.whenComplete { outcome in calls.withLock { $0.append("early \((try? outcome.get())?.number ?? -1)") } }
        result.whenComplete { outcome in calls.withLock { $0.append("second \((try? outcome.get())?.number ?? -1)") } }
        #expect(calls.withLock { $0 }.isEmpty)
        result.succeed(.numbered(3))
        result.whenComplete { outcome in calls.withLock { $0.append("late \((try? outcome.get())?.number ?? -1)") } }
        result.succeed(.numbered(4))
        #expect(calls.withLock { $0 } == ["early 3", "second 3", "late 3"])
    }

    @Test func aWaiterAndCallbacksAllGetTheResult() async throws {
        let result = PGPendingResult(query: "SELECT 1")
        let seen = Mutex<Int?>(nil)
        result.whenComplete { outcome in seen.withLock { $0 = (try? outcome.get())?.number } }
        async let value = result.value()
        try await Task.sleep(for: .milliseconds(20))
        result.succeed(.numbered(5))
        #expect(try await value.number == 5)
        #expect(seen.withLock { $0 } == 5)
    }

    @Test func aResultTakenByTheWaitingTaskIsNotKeptForLaterAsks() async throws {
        let result = PGPendingResult(query: "SELECT 1")
        async let value = result.value()
        try await Task.sleep(for: .milliseconds(20))
        result.succeed(.numbered(6))
        #expect(try await value.number == 6)
        // Moved to the task, not kept: a later wait or callback is told so, and nothing hangs.
        let late = try #require(result.resultIfCompleted())
        #expect(throws: PGError.self) { try late.get() }
        await #expect { try await result.value() } throws: { ($0 as? PGError)?.kind == .invalidUsage }
        #expect(throws: PGError.self) { try result.wait() }
    }

    @Test func aResultWithNoWaiterYetIsKeptForTheWaitThatComes() async throws {
        let result = PGPendingResult(query: "SELECT 1")
        result.succeed(.numbered(9))
        #expect(try result.wait().number == 9)
        #expect(try await result.value().number == 9)
    }

    @Test func resultsCompletedOnAnEventLoopWhileTasksWaitAreNeitherLostNorCrossed() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let results = (0..<2_000).map { _ in PGPendingResult(query: "SELECT 1") }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, result) in results.enumerated() {
                group.addTask { try await result.value().number == index }
                // Completed on the event loop, racing the task that waits for it.
                loop.execute { result.succeed(.numbered(index)) }
            }
            var matched = 0
            for try await ok in group where ok { matched += 1 }
            #expect(matched == results.count)
        }
    }
}

extension PGRowSequence {
    /// A result with no rows whose command tag carries `number`, to tell results apart.
    fileprivate static func numbered(_ number: Int) -> PGRowSequence {
        PGRowSequence(columns: .none, source: .complete(PGElementQueue(), commandTag: "SELECT \(number)"), observer: nil)
    }

    /// The number of a result made by ``numbered(_:)``.
    fileprivate var number: Int? { commandTag.flatMap { Int($0.dropFirst("SELECT ".count)) } }
}
