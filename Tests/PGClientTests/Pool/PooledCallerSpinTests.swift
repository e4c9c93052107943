import Logging
import PGWire
import Testing

@testable import PGClient

/// A pool's one-off statement (`pool.query` with ``PGPool/Configuration/statementsPerConnection``
/// at 1) whose caller, alone off the event loops, polls for its outcome before it sleeps
/// (``PGPool/callerSpin``), on the shared server. Each pool here has its own count of waiting
/// callers, so that the suite's other tests, querying at the same time, do not decide whether
/// its callers are alone.
@Suite("A pool's one-off caller polls for its outcome", .timeLimit(.minutes(10)))
struct PooledCallerSpinTests {
    typealias Support = PGPoolIntegrationTests

    /// Runs a pool of at most `maxConnections` on the shared server, counting its waiting callers
    /// in a count of its own, for `body`, after enough statements one after another that the
    /// next spins (unless `warm` is `false`); then expects every connection back and no caller
    /// counted.
    static func withPool(
        _ application: String, maxConnections: Int = 1, callerSpin: Duration? = nil, warm: Bool = true,
        _ body: (PGPool, CallerWaitingCount) async throws -> Void
    ) async throws {
        let waiting = CallerWaitingCount()
        var config = try await PGPoolProductionTests.configuration(application: application)
        config.maxConnections = maxConnections
        config.connectionOptions.callerWaitingCount = waiting
        if let callerSpin { config.connectionOptions.callerSpinBeforeSleeping = callerSpin }
        try await Support.withPool(config) { pool in
            if warm { try await queryOneAfterAnother(enoughToSpin, through: pool) }
            try await body(pool, waiting)
            let policy = pool.callerSpin.state
            #expect(policy.answered + policy.ranOut + policy.interrupted == policy.started)
            #expect(waiting.current == 0)
            #expect(pool.statistics.used == 0)
            #expect(pool.statistics.pending == 0)
        }
    }

    /// `count` statements one after another through `pool`, each result checked.
    static func queryOneAfterAnother(_ count: Int, through pool: PGPool) async throws {
        for i in 0..<count {
            let rows = try await pool.query("SELECT \(Int32(i))::int4")
            #expect(rows.count == 1)
            #expect(try rows.first?.decode(Int32.self, at: 0) == Int32(i))
        }
    }

    /// How many statements make sure that the spin started: the run before the first spin, and
    /// a few more.
    static let enoughToSpin = CallerSpinPolicy.sequentialStatementsBeforeSpinning + 12

    @Test func aSequentialCallerSpinsAfterARunOfStatementsAloneAndGetsEveryResult() async throws {
        try await Self.withPool("pooled-spin", maxConnections: 2, warm: false) { pool, _ in
            try await Self.queryOneAfterAnother(200, through: pool)
            let policy = pool.callerSpin.state
            #expect(policy.budget == 250_000)
            #expect(policy.started >= 1)
            #expect(policy.interrupted == 0)
        }
    }

    @Test func aCallerThatIsNotAloneOrHasAZeroBudgetNeverSpins() async throws {
        try await Self.withPool("pooled-spin-not-alone", maxConnections: 2, warm: false) { pool, waiting in
            _ = waiting.enter()  // another caller waits for as long as these statements run
            try await Self.queryOneAfterAnother(40, through: pool)
            #expect(pool.callerSpin.state.started == 0)
            #expect(pool.callerSpin.state.aloneInARow == 0)
            waiting.leave()
        }
        try await Self.withPool("pooled-spin-zero", callerSpin: .zero) { pool, _ in
            try await Self.queryOneAfterAnother(20, through: pool)
            #expect(pool.callerSpin.state.started == 0)
        }
    }

    @Test func aFailedStatementTakenBySpinningThrowsTheServersErrorAndItsConnectionComesBack() async throws {
        try await Self.withPool("pooled-spin-error") { pool, _ in
            let error = await #expect(throws: PGError.self) {
                try await pool.query("SELECT 1 / \(Int32(0))")
            }
            #expect(error?.sqlState == .divisionByZero)
            try await Self.queryOneAfterAnother(20, through: pool)
            #expect(pool.callerSpin.state.started >= 1)
            #expect(pool.statistics.created == 1)
        }
    }

    @Test func aResultTooLargeForOneReadStreamsToACallerThatSpunAndTheConnectionComesBack() async throws {
        try await Self.withPool("pooled-spin-stream") { pool, _ in
            let rows = try await pool.query("SELECT g::int4, repeat('x', 100) FROM generate_series(1, 50000) g")
            #expect(rows.count == 50_000)
            #expect(try rows.last?.decode(Int32.self, at: 0) == 50_000)
            try await Self.queryOneAfterAnother(5, through: pool)
        }
    }

    @Test func aCallerWhoseStatementWaitsForAConnectionRunsItsSpinOutThenGetsItsResult() async throws {
        try await Self.withPool("pooled-spin-queued", callerSpin: .microseconds(100)) { pool, _ in
            let before = pool.callerSpin.state
            let queued = try await PooledStatementTests.holdingTheConnection(pool) {
                let queued = Task { try await pool.query("SELECT 41::int4") }
                try await Support.waitUntil { pool.statistics.pending == 1 }
                try await Task.sleep(for: .milliseconds(20))
                // Released when this returns: the statement starts then, long after its spin ended.
                return queued
            }
            #expect(try await queued.value.first?.decode(Int32.self, at: 0) == 41)
            // No spin of 100 µs got an answer that took the connection's 20 ms to start.
            #expect(pool.callerSpin.state.answered == before.answered)
            #expect(try await pool.query("SELECT 42::int4").first?.decode(Int32.self, at: 0) == 42)
        }
    }

    @Test func aCancelledCallerAfterItsSpinIsCancelledOnTheServerAndTheConnectionServesTheNext() async throws {
        try await Self.withPool("pooled-spin-cancel") { pool, _ in
            let observer = try await TestDatabase.connect()
            try await PooledStatementTests.cancelSleepOnceRunning(through: pool, marker: "pooled-spin-sleep", observer: observer)
            await observer.close()
            #expect(try await pool.query("SELECT 3::int4").first?.decode(Int32.self, at: 0) == 3)
            #expect(pool.statistics.created == 1)
        }
    }

    @Test func concurrentCallersGetTheirOwnResultsAndLeaveTheCountAtZero() async throws {
        try await Self.withPool("pooled-spin-concurrent", maxConnections: 3) { pool, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<20 {
                    group.addTask {
                        for i in 0..<10 {
                            let value = Int32(task * 100 + i)
                            let rows = try await pool.query("SELECT \(value)::int4")
                            let decoded = try rows.first?.decode(Int32.self, at: 0)
                            #expect(decoded == value)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}

/// What a pooled statement's caller gets whichever comes first: its outcome, or the continuation
/// it waits on (a caller that polled installs one only after its spin).
@Suite struct PooledStatementOutcomeTests {
    static func statement() -> PooledStatement {
        PooledStatement(
            query: "SELECT 1", leaseKind: .exclusive, logger: nil, waiterID: 1, affinity: nil,
            queuedAt: PoolStateMachineTests.at(0), acquireSpan: nil)
    }

    static let timedOut = PGError(.timeout, message: "no connection", requestWasSent: false)

    @Test func anOutcomeThatCameBeforeTheContinuationResumesItAtOnce() async {
        let statement = Self.statement()
        #expect(!statement.isFinished)
        statement.fail(Self.timedOut, poolLogger: Logger(label: "test"))
        #expect(statement.isFinished)
        let error = await #expect(throws: PGError.self) {
            try await withUnsafeThrowingContinuation { statement.install($0) }
        }
        #expect(error?.kind == .timeout)
        #expect(statement.takeIfFinished() == nil)
    }

    @Test func aCallerThatPolledTakesTheOutcomeOnceAndALaterWaitDoesNotHang() async {
        let statement = Self.statement()
        #expect(statement.takeIfFinished() == nil)
        statement.fail(Self.timedOut, poolLogger: Logger(label: "test"))
        let taken = statement.takeIfFinished()
        #expect(throws: PGError.self) { try taken?.get() }
        #expect(taken != nil)
        #expect(statement.takeIfFinished() == nil)
        let error = await #expect(throws: PGError.self) {
            try await withUnsafeThrowingContinuation { statement.install($0) }
        }
        #expect(error?.kind == .invalidUsage)
    }

    @Test func anOutcomeThatComesAfterTheContinuationResumesIt() async {
        let statement = Self.statement()
        let error = await #expect(throws: PGError.self) {
            try await withUnsafeThrowingContinuation { continuation in
                statement.install(continuation)
                statement.fail(Self.timedOut, poolLogger: Logger(label: "test"))
            }
        }
        #expect(error?.kind == .timeout)
        #expect(statement.takeIfFinished() == nil)
    }
}
