import Testing

@testable import PGClient

/// A simple query's results: the completion a query's rows have (``PendingResultTests``), with
/// what a caller that polls for it takes.
@Suite("A simple query's pending results")
struct SimpleResultTests {
    struct Failure: Error {}

    static let results = [PGResultSet(columns: nil, rows: [], commandTag: "BEGIN")]

    @Test func aCallerThatPolledTakesTheResultsOnceAndALaterWaitDoesNotHang() async throws {
        let result = PGSimpleResult(sql: "BEGIN")
        #expect(!result.isCompleted)
        #expect(result.takeIfCompleted() == nil)
        result.succeed(Self.results)
        #expect(result.isCompleted)
        let taken = try result.takeIfCompleted()?.get()
        #expect(taken?.first?.commandTag == "BEGIN")
        #expect(result.takeIfCompleted() == nil)
        let error = await #expect(throws: PGError.self) {
            try await withUnsafeThrowingContinuation { result.resumeWhenComplete($0) }
        }
        #expect(error?.kind == .invalidUsage)
    }

    @Test func aWaitingTaskIsResumedByTheCompletionAndAFailureIsThrown() async throws {
        let result = PGSimpleResult(sql: "COMMIT")
        let waiter = Task { try await withUnsafeThrowingContinuation { result.resumeWhenComplete($0) } }
        try await Task.sleep(for: .milliseconds(20))
        result.fail(Failure())
        result.succeed(Self.results)
        await #expect(throws: Failure.self) { try await waiter.value }
    }

    @Test func aCallbackGetsTheResultsCompletedBeforeIt() throws {
        let result = PGSimpleResult(sql: "COMMIT")
        result.succeed(Self.results)
        #expect(try result.wait().first?.commandTag == "BEGIN")
    }
}
