import Synchronization
import Testing

@testable import PGClient

/// Tasks on Swift's global executor whose results come in one read are resumed together, in one
/// job, when the read has been handled; a task alone in its read, a task that did not ask, and a
/// result completed outside a read are resumed at once.
@Suite("Tasks whose results come in one read, resumed together")
struct BatchedResumptionsTests {
    /// A task waiting for `result`, registered before this returns (`withOthers` as a query's
    /// caller off the event loop asks).
    private static func waiter(for result: PGPendingResult, withOthers: Bool) async -> Task<Int?, any Error> {
        let task = Task {
            try await withUnsafeThrowingContinuation { result.resumeWhenComplete($0, withOthers: withOthers) }.number
        }
        while !result.completion.hasWaitingTask { await Task.yield() }
        return task
    }

    @Test func theTasksOfOneReadAreResumedTogetherInOneJobWhenItEnds() async throws {
        let batch = PGBatchedResumptions()
        let results = (0..<3).map { _ in PGPendingResult(query: "SELECT 1") }
        var waiters: [Task<Int?, any Error>] = []
        for result in results { waiters.append(await Self.waiter(for: result, withOthers: true)) }
        batch.collecting {
            #expect(batch.isCollecting)
            for (index, result) in results.enumerated() {
                guard let resumption = result.completion.completeLeavingResumption(.success(.numbered(index))) else {
                    Issue.record("the task that asked to be resumed with others was resumed at once")
                    continue
                }
                batch.add(resumption)
            }
            // Completed, but their tasks wait for the end of the read.
            #expect(results.allSatisfy { $0.isCompleted })
            #expect(batch.jobsScheduled == 0)
        }
        #expect(!batch.isCollecting)
        #expect(batch.resumptionsCollected == 3)
        #expect(batch.jobsScheduled == 1)
        for (index, waiter) in waiters.enumerated() { #expect(try await waiter.value == index) }
    }

    @Test func aTaskAloneInItsReadIsResumedAtOnceWithoutAJob() async throws {
        let batch = PGBatchedResumptions()
        let result = PGPendingResult(query: "SELECT 1")
        let waiter = await Self.waiter(for: result, withOthers: true)
        batch.collecting {
            if let resumption = result.completion.completeLeavingResumption(.success(.numbered(4))) { batch.add(resumption) }
        }
        #expect(batch.resumptionsCollected == 1)
        #expect(batch.jobsScheduled == 0)
        #expect(try await waiter.value == 4)
    }

    @Test func aTaskThatDidNotAskIsResumedByTheCompletionItself() async throws {
        let batch = PGBatchedResumptions()
        let result = PGPendingResult(query: "SELECT 1")
        let waiter = await Self.waiter(for: result, withOthers: false)
        let resumption = batch.collecting { result.completion.completeLeavingResumption(.success(.numbered(5))) }
        #expect(resumption == nil)
        #expect(batch.resumptionsCollected == 0)
        #expect(try await waiter.value == 5)
    }

    @Test func aResultWithNoTaskWaitingYetIsKeptForTheWaitThatComes() async throws {
        let result = PGPendingResult(query: "SELECT 1")
        let resumption = result.completion.completeLeavingResumption(.success(.numbered(6)))
        #expect(resumption == nil)
        let rows = try await withUnsafeThrowingContinuation { result.resumeWhenComplete($0, withOthers: true) }
        #expect(rows.number == 6)
    }

    @Test func callbacksAreCalledWhenTheResultComesNotWhenTheReadEnds() async throws {
        let batch = PGBatchedResumptions()
        let result = PGPendingResult(query: "SELECT 1")
        let seen = Mutex<Int?>(nil)
        result.whenComplete { outcome in seen.withLock { $0 = (try? outcome.get())?.number } }
        let waiter = await Self.waiter(for: result, withOthers: true)
        batch.collecting {
            if let resumption = result.completion.completeLeavingResumption(.success(.numbered(7))) { batch.add(resumption) }
            #expect(seen.withLock { $0 } == 7)
        }
        #expect(try await waiter.value == 7)
    }

    @Test func aResumptionHandedOverOutsideAReadIsPerformedAtOnce() async throws {
        let batch = PGBatchedResumptions()
        let result = PGPendingResult(query: "SELECT 1")
        let waiter = await Self.waiter(for: result, withOthers: true)
        let resumption = result.completion.completeLeavingResumption(.success(.numbered(8)))
        guard let resumption else {
            Issue.record("the task that asked to be resumed with others was resumed at once")
            return
        }
        batch.add(resumption)
        #expect(batch.resumptionsCollected == 0)
        #expect(try await waiter.value == 8)
    }

    /// A channel that delivers synchronously handles a read inside another: the tasks wait for
    /// the outer one's end.
    @Test func onlyTheOutermostReadsEndResumesTheTasks() async throws {
        let batch = PGBatchedResumptions()
        let results = (0..<2).map { _ in PGPendingResult(query: "SELECT 1") }
        var waiters: [Task<Int?, any Error>] = []
        for result in results { waiters.append(await Self.waiter(for: result, withOthers: true)) }
        batch.collecting {
            batch.collecting {
                for (index, result) in results.enumerated() {
                    if let resumption = result.completion.completeLeavingResumption(.success(.numbered(index))) { batch.add(resumption) }
                }
            }
            #expect(batch.isCollecting)
            #expect(batch.jobsScheduled == 0)
        }
        #expect(batch.jobsScheduled == 1)
        for (index, waiter) in waiters.enumerated() { #expect(try await waiter.value == index) }
    }
}
