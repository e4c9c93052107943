import Synchronization
import Testing

@testable import PGClient

/// The result of a batch, a COPY or a prepared statement: the completion a query's rows have
/// (``PendingResultTests``), generic over its value.
@Suite("A batch's, COPY's or prepared statement's pending value")
struct PendingValueTests {
    struct Failure: Error {}

    @Test func aWaitingTaskIsResumedByTheCompletionAndOnlyTheFirstCounts() async throws {
        let result = PGPendingValue<Int>()
        async let value = result.value()
        try await Task.sleep(for: .milliseconds(20))
        #expect(!result.isCompleted)
        result.succeed(7)
        result.succeed(8)
        result.fail(Failure())
        #expect(try await value == 7)
        #expect(result.isCompleted)
    }

    @Test func aFailureIsThrownToTheWaiter() async {
        let result = PGPendingValue<Void>()
        result.fail(Failure())
        await #expect(throws: Failure.self) { try await result.value() }
    }

    /// A COPY FROM STDIN watches its end with a callback (to stop sending once the server
    /// failed it) and waits for it afterwards: the callback keeps the result for the wait.
    @Test func aCallbackRegisteredFirstLeavesTheResultForALaterWait() async throws {
        let result = PGPendingValue<PGCommandResult>()
        let failed = Atomic<Bool>(false)
        result.whenComplete { if case .failure = $0 { failed.store(true, ordering: .relaxed) } }
        result.succeed(PGCommandResult(commandTag: "COPY 3"))
        let sawFailure = failed.load(ordering: .relaxed)
        #expect(!sawFailure)
        #expect(try await result.value().rowCount == 3)
        #expect(try await result.value().rowCount == 3)
    }

    @Test func aCallerThatPolledTakesTheValueOnce() throws {
        let result = PGPendingValue<[Int]>()
        #expect(result.takeIfCompleted() == nil)
        result.succeed([1, 2])
        #expect(try result.takeIfCompleted()?.get() == [1, 2])
        #expect(result.takeIfCompleted() == nil)
    }
}
