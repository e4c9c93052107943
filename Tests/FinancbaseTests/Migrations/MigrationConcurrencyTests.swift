import Financbase
import PGClient
import Testing

/// Steps are ordered by progress reports and a gate the test opens, never by sleeping, so the
/// suite holds under any machine load.
@Suite("Migration lock", .timeLimit(.minutes(10)))
struct MigrationConcurrencyTests {
    @Test("two migrates at once: one applies, the other waits for it and then finds nothing to do")
    func concurrentMigrates() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        // The second waits for the first however long a loaded machine makes it take: the
        // steps are ordered by the gate, and a wrong wait shows as a wrong journal, not a timeout.
        let runner = SampleMigrations.runner(
            [MigrationGate.gatedSchema, SampleMigrations.accounts, SampleMigrations.entries],
            lockTimeout: .seconds(600))
        let gate = try await MigrationGate.closed(in: database)
        let firstProgress = ProgressStream()
        let secondProgress = ProgressStream()
        let secondLog = ProgressLog()

        async let first = database.withAdminConnection { connection in
            // A migrate that ends ends its stream, so that no wait below outlives it.
            defer { firstProgress.continuation.finish() }
            let pid = connection.backendKeyData?.processID
            return (pid, try await runner.migrate(on: connection, progress: firstProgress.report))
        }
        // The first holds the migration lock and waits at the gate inside 0001.
        _ = await firstProgress.first { if case .applying(1, _) = $0 { true } else { false } }
        async let second = database.withAdminConnection { connection in
            defer { secondProgress.continuation.finish() }
            return try await runner.migrate(on: connection) { event in
                secondLog.record(event)
                secondProgress.report(event)
            }
        }
        let waiting = await secondProgress.first {
            if case .lockWaiting = $0 { true } else { false }
        }
        await gate.open()
        let (firstPID, firstSummary) = try await first
        let secondSummary = try await second
        firstProgress.continuation.finish()
        secondProgress.continuation.finish()

        #expect(waiting == .lockWaiting(holderPID: firstPID))
        #expect(firstSummary.applied.map(\.version) == [1, 2, 3])
        #expect(secondSummary.applied.isEmpty)
        #expect(secondLog.all == [.lockWaiting(holderPID: firstPID), .upToDate(version: 3)])
        #expect(try await database.journal().map(\.version) == [1, 2, 3])
    }

    @Test("a migrate that waits longer than its lock timeout fails with the holder's pid")
    func lockTimeout() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let gate = try await MigrationGate.closed(in: database)
        let firstProgress = ProgressStream()

        async let first = database.withAdminConnection { connection in
            defer { firstProgress.continuation.finish() }
            let pid = connection.backendKeyData?.processID
            let runner = SampleMigrations.runner([MigrationGate.gatedSchema])
            return (pid, try await runner.migrate(on: connection, progress: firstProgress.report))
        }
        _ = await firstProgress.first { if case .applying = $0 { true } else { false } }
        // Whatever happens here, the gate opens, so that the first migrate can end.
        let holder: Int32?
        do {
            holder = try await lockedOut(database)
        } catch {
            await gate.open()
            throw error
        }
        // The holder was still at the gate: the timeout did not wait for it.
        await gate.open()
        let (firstPID, firstSummary) = try await first
        firstProgress.continuation.finish()
        #expect(holder != nil && holder == firstPID)
        #expect(firstSummary.applied.count == 1)
    }

    /// Runs a migrate with a 200 ms lock timeout while another holds the lock; returns the
    /// holder's pid the timeout error names.
    private func lockedOut(_ database: FinancbaseTestDatabase) async throws -> Int32? {
        try await database.withAdminConnection { connection in
            let timeout = SampleMigrations.runner(
                [MigrationGate.gatedSchema], lockTimeout: .milliseconds(200))
            var caught: MigrationError?
            do {
                try await timeout.migrate(on: connection)
            } catch let error as MigrationError {
                caught = error
            }
            // The session's own lock_timeout is back.
            let setting = try await connection.query("SELECT current_setting('lock_timeout')")
                .collect()
            #expect(try setting[0].decode(String.self, at: 0) == "0")
            guard case .lockTimeout(let pid, let waited) = caught else {
                Issue.record("expected a lock timeout, got \(String(describing: caught))")
                return Int32?.none
            }
            #expect(waited == 0.2)
            return pid
        }
    }

    @Test("databases in one cluster migrate at the same time without waiting for each other")
    func separateDatabases() async throws {
        let blocked = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let free = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let gate = try await MigrationGate.closed(in: blocked)
        let runner = SampleMigrations.runner([MigrationGate.gatedSchema, SampleMigrations.accounts])
        let blockedProgress = ProgressStream()

        async let blockedRun = blocked.withAdminConnection { connection in
            defer { blockedProgress.continuation.finish() }
            return try await runner.migrate(on: connection, progress: blockedProgress.report)
        }
        _ = await blockedProgress.first { if case .applying(1, _) = $0 { true } else { false } }
        // While the other database's migrate holds its lock, this one runs to the end; a short
        // lock timeout turns any wrong wait into an error instead of a hang.
        let freeLog = ProgressLog()
        let freeRunner = SampleMigrations.runner(
            [SampleMigrations.schema, SampleMigrations.accounts], lockTimeout: .seconds(5))
        do {
            try await free.withAdminConnection { connection in
                try await freeRunner.migrate(on: connection) { freeLog.record($0) }
            }
        } catch {
            await gate.open()  // so that the blocked migrate can end
            throw error
        }
        #expect(!freeLog.all.contains { if case .lockWaiting = $0 { true } else { false } })
        #expect(try await free.journal().map(\.version) == [1, 2])
        #expect(try await blocked.journal().isEmpty)

        await gate.open()
        #expect(try await blockedRun.applied.map(\.version) == [1, 2])
        blockedProgress.continuation.finish()
        #expect(try await blocked.journal().map(\.version) == [1, 2])
    }
}
