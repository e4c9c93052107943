import NIOCore
import Testing

@testable import PGClient

/// A caller off the event loop polling for its result on its own thread
/// (`Options.callerSpinBeforeSleeping`) on a real server. Each connection here has its own
/// count of waiting callers, so that the suite's other tests, querying at the same time, do
/// not decide whether its callers are alone.
@Suite("A caller off the event loop polls for its result")
struct CallerSpinTests {
    static func connect(
        callerSpin: Duration? = nil, waiting: CallerWaitingCount = CallerWaitingCount()
    ) async throws -> PGConnection {
        try await TestDatabase.connect { options in
            if let callerSpin { options.callerSpinBeforeSleeping = callerSpin }
            options.callerWaitingCount = waiting
        }
    }

    /// Checks that every spin started ended one way and that no caller is still counted, then
    /// closes the connection.
    static func expectEverySpinEndedAndClose(_ connection: PGConnection, waiting: CallerWaitingCount) async {
        let policy = connection.callerSpin.state
        #expect(policy.answered + policy.ranOut + policy.interrupted == policy.started)
        #expect(waiting.current == 0)
        await connection.close()
    }

    @Test func aSequentialCallerSpinsAfterARunOfStatementsAloneAndGetsEveryResult() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        try await TestDatabase.runSequentialQueries(200, on: connection)
        let policy = connection.callerSpin.state
        #expect(policy.budget == 250_000)
        // The statement after the first run spins whatever the machine's load; later ones may
        // skip after spins that ran out.
        #expect(policy.started >= 1)
        #expect(policy.answered + policy.ranOut + policy.interrupted == policy.started)
        #expect(policy.interrupted == 0)
        #expect(waiting.current == 0)
        await connection.close()
    }

    @Test func aCallerThatIsNotAloneNeverSpins() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        // Another caller waits for as long as these statements run.
        _ = waiting.enter()
        try await TestDatabase.runSequentialQueries(50, on: connection)
        #expect(connection.callerSpin.state.started == 0)
        #expect(connection.callerSpin.state.aloneInARow == 0)
        waiting.leave()
        #expect(waiting.current == 0)
        await connection.close()
    }

    @Test func aCallerAmongOthersEndsARunOfStatementsAlone() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        let before = connection.callerSpin.state.aloneInARow
        try await TestDatabase.runSequentialQueries(3, on: connection)
        #expect(connection.callerSpin.state.aloneInARow == before + 3)
        _ = waiting.enter()
        try await TestDatabase.runSequentialQueries(1, on: connection)
        #expect(connection.callerSpin.state.aloneInARow == 0)
        waiting.leave()
        try await TestDatabase.runSequentialQueries(2, on: connection)
        #expect(connection.callerSpin.state.aloneInARow == 2)
        await connection.close()
    }

    @Test func aZeroBudgetNeverSpinsButStillCountsItsCallers() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(callerSpin: .zero, waiting: waiting)
        try await TestDatabase.runSequentialQueries(30, on: connection)
        #expect(connection.callerSpin.state.started == 0)
        #expect(waiting.current == 0)
        await connection.close()
    }

    @Test func aCallerOnTheConnectionsLoopNeitherCountsNorSpins() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        try await withTaskExecutorPreference(connection.executor) {
            for i in 0..<30 {
                _ = try await connection.query("SELECT \(Int32(i))::int4").collect()
                #expect(waiting.current == 0)
            }
        }
        #expect(connection.callerSpin.state.started == 0)
        #expect(connection.callerSpin.state.aloneInARow == 0)
        await connection.close()
    }

    /// An actor that queries: its caller is isolated to it.
    actor Querier {
        func run(_ count: Int, on connection: PGConnection) async throws {
            try await TestDatabase.runSequentialQueries(count, on: connection)
        }
    }

    @Test func aCallerIsolatedToAnActorGetsEveryResult() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        try await Querier().run(60, on: connection)
        await Self.expectEverySpinEndedAndClose(connection, waiting: waiting)
    }

    @Test func aStatementLongerThanTheBudgetRunsTheSpinOutAndTheNextSkips() async throws {
        let connection = try await Self.connect(callerSpin: .microseconds(100))
        try await TestDatabase.runSequentialQueries(CallerSpinPolicy.sequentialStatementsBeforeSpinning, on: connection)
        let rows = try await connection.query("SELECT pg_sleep(0.05), 7::int4").collect()
        #expect(try rows.first?.decode(Int32.self, at: 1) == 7)
        let policy = connection.callerSpin.state
        // The long statement spun and ran out, unless an earlier spin ran out (a loaded
        // machine) and it skipped: either way one ran out, and a statement skips after it.
        #expect(policy.ranOut >= 1)
        try await TestDatabase.runSequentialQueries(3, on: connection)
        await connection.close()
    }

    @Test func aFailedStatementTakenBySpinningThrowsTheServersErrorAndTheConnectionGoesOn() async throws {
        let connection = try await Self.connect()
        try await TestDatabase.runSequentialQueries(CallerSpinPolicy.sequentialStatementsBeforeSpinning + 2, on: connection)
        let error = await #expect(throws: PGError.self) {
            try await connection.query("SELECT 1 / \(Int32(0))").collect()
        }
        #expect(error?.sqlState == .divisionByZero)
        try await TestDatabase.runSequentialQueries(20, on: connection)
        #expect(connection.callerSpin.state.started >= 1)
        await connection.close()
    }

    @Test func aValueThatCannotBeEncodedLeavesNoCallerCountedAndTheConnectionGoesOn() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        try await TestDatabase.runSequentialQueries(CallerSpinPolicy.sequentialStatementsBeforeSpinning + 2, on: connection)
        let error = await #expect(throws: PGError.self) {
            try await connection.query("SELECT \("a\u{0}b")::text").collect()
        }
        #expect(error?.kind == .encoding)
        #expect(error?.requestWasSent == false)
        #expect(waiting.current == 0)
        try await TestDatabase.runSequentialQueries(20, on: connection)
        await Self.expectEverySpinEndedAndClose(connection, waiting: waiting)
    }

    @Test func simpleQueriesCountAndSpinAsStatementsDo() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        // Simple queries alone: the one after the run spins whatever the machine's load.
        for i in 0...CallerSpinPolicy.sequentialStatementsBeforeSpinning {
            let results = try await connection.simpleQuery("SELECT \(i)")
            #expect(try results.first?.rows.first?.decode(String.self, at: 0) == "\(i)")
        }
        #expect(connection.callerSpin.state.started >= 1)
        await Self.expectEverySpinEndedAndClose(connection, waiting: waiting)
    }

    @Test func shortTransactionsSpinAndOneWithAFailedStatementIsStillRolledBack() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        try await TestDatabase.runSequentialQueries(CallerSpinPolicy.sequentialStatementsBeforeSpinning, on: connection)
        for i in 0..<20 {
            let value = Int32(i)
            let rows = try await connection.withTransaction { try await $0.query("SELECT \(value)::int4").collect() }
            #expect(try rows.first?.decode(Int32.self, at: 0) == value)
        }
        #expect(connection.callerSpin.state.started >= 1)
        // COMMIT, whether a spin takes its answer or not, is answered with ROLLBACK.
        let rolledBack = await #expect(throws: PGError.self) {
            try await connection.withTransaction { transaction in
                _ = try? await transaction.query("SELECT 1 / \(Int32(0))").collect()
            }
        }
        #expect(rolledBack?.kind == .transactionRolledBack)
        #expect(connection.transactionStatus == .idle)
        let failed = await #expect(throws: PGError.self) { try await connection.simpleQuery("SELECT 1 / 0") }
        #expect(failed?.sqlState == .divisionByZero)
        try await TestDatabase.runSequentialQueries(5, on: connection)
        await Self.expectEverySpinEndedAndClose(connection, waiting: waiting)
    }

    @Test func concurrentCallersGetTheirOwnResultsAndLeaveTheCountAtZero() async throws {
        let waiting = CallerWaitingCount()
        let connection = try await Self.connect(waiting: waiting)
        try await TestDatabase.runSequentialQueries(CallerSpinPolicy.sequentialStatementsBeforeSpinning + 5, on: connection)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<20 {
                group.addTask {
                    for i in 0..<10 {
                        let value = Int32(task * 100 + i)
                        let rows = try await connection.query("SELECT \(value)::int4").collect()
                        #expect(try rows.first?.decode(Int32.self, at: 0) == value)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(waiting.current == 0)
        let policy = connection.callerSpin.state
        #expect(policy.answered + policy.ranOut + policy.interrupted == policy.started)
        await connection.close()
    }
}
