import NIOCore
import Testing

@testable import PGClient

/// The event loop polling for a pinned caller's answer (`Options.spinBeforeSleeping`) on a
/// real server: only a caller on the loop makes it poll, results are the same, and a
/// connection that dies while its pinned caller waits fails the caller and leaves no poll going.
@Suite("A connection's loop polls for a pinned caller's answer")
struct PinnedSpinTests {
    /// The connection's spin policy, read on its event loop.
    static func spin(of connection: PGConnection) async throws -> EventLoopSpin {
        try await connection.channel.eventLoop.submit { connection.handler.value.spin }.get()
    }

    static func connect(spinBeforeSleeping: Duration? = nil) async throws -> PGConnection {
        try await TestDatabase.connect { options in
            if let spinBeforeSleeping { options.spinBeforeSleeping = spinBeforeSleeping }
        }
    }

    @Test func aPinnedCallerMakesTheLoopPollAndGetsEveryResult() async throws {
        let connection = try await Self.connect()
        try await withTaskExecutorPreference(connection.executor) {
            try await TestDatabase.runSequentialQueries(200, on: connection)
        }
        let spin = try await Self.spin(of: connection)
        #expect(spin.budget == 250_000)
        // Every spin ended one way or the other; on a loaded machine some run out.
        #expect(spin.answered + spin.ranOut > 0)
        #expect(spin.deadline == nil)
        await connection.close()
    }

    @Test func aCallerOnTheGlobalExecutorNeverMakesTheLoopPoll() async throws {
        let connection = try await Self.connect()
        try await TestDatabase.runSequentialQueries(50, on: connection)
        let spin = try await Self.spin(of: connection)
        #expect(spin.answered == 0)
        #expect(spin.ranOut == 0)
        await connection.close()
    }

    @Test func aZeroBudgetTurnsPollingOff() async throws {
        let connection = try await Self.connect(spinBeforeSleeping: .zero)
        try await withTaskExecutorPreference(connection.executor) {
            try await TestDatabase.runSequentialQueries(50, on: connection)
        }
        let spin = try await Self.spin(of: connection)
        #expect(spin.budget == 0)
        #expect(spin.answered + spin.ranOut == 0)
        await connection.close()
    }

    @Test func aStatementLongerThanTheBudgetRunsTheSpinOutAndStillReturns() async throws {
        let connection = try await Self.connect()
        let rows = try await withTaskExecutorPreference(connection.executor) {
            try await connection.query("SELECT pg_sleep(0.2), 7::int4").collect()
        }
        #expect(try rows.first?.decode(Int32.self, at: 1) == 7)
        let spin = try await Self.spin(of: connection)
        #expect(spin.ranOut == 1)
        #expect(spin.deadline == nil)
        await connection.close()
    }

    @Test func aBackendTerminatedWhileItsPinnedCallerWaitsFailsItAndLeavesNoPoll() async throws {
        // Longer than the longest budget: spins at most 1 ms.
        let connection = try await Self.connect(spinBeforeSleeping: .seconds(30))
        let killer = try await TestDatabase.connect()
        let pid = try #require(connection.backendKeyData?.processID)
        let sleeper = Task(executorPreference: connection.executor) {
            try await connection.query("SELECT pg_sleep(60)").collect()
        }
        // Wait until the statement runs, then end its backend.
        for _ in 0..<500 {
            let running = try await killer.query(
                "SELECT count(*)::int4 FROM pg_stat_activity WHERE pid = \(pid) AND query LIKE 'SELECT pg_sleep%' AND state = 'active'"
            ).collect()
            if try running.first?.decode(Int32.self, at: 0) == 1 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        _ = try await killer.query("SELECT pg_terminate_backend(\(pid), 5000)").collect()
        await #expect(throws: PGError.self) { try await sleeper.value }
        #expect(connection.isClosed)
        let spin = try await Self.spin(of: connection)
        #expect(spin.budget == EventLoopSpin.maximumBudget)
        #expect(spin.deadline == nil)
        #expect(spin.ranOut == 1)
        #expect(spin.answered == 0)
        await killer.close()
    }
}
