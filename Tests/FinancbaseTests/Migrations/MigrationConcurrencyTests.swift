import Financbase
import PGClient
import Testing

@Suite("Migration lock")
struct MigrationConcurrencyTests {
    /// A first migration slow enough for a second migrate to arrive while it runs.
    static let slow = Migration(version: 1, name: "slow", sql: "SELECT pg_sleep(0.6); CREATE SCHEMA sample;")

    @Test("two migrates at once: one applies, the other waits for it and then finds nothing to do")
    func concurrentMigrates() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let runner = SampleMigrations.runner([Self.slow, SampleMigrations.accounts, SampleMigrations.entries])
        let (started, startedContinuation) = AsyncStream.makeStream(of: Int32.self)
        let secondLog = ProgressLog()

        async let first = database.withAdminConnection { connection in
            let pid = connection.backendKeyData?.processID ?? 0
            return try await runner.migrate(on: connection) { progress in
                if case .applying(1, _) = progress { startedContinuation.yield(pid) }
            }
        }
        var iterator = started.makeAsyncIterator()
        let firstPID = await iterator.next()
        let second = try await database.withAdminConnection { connection in
            try await runner.migrate(on: connection) { secondLog.record($0) }
        }
        let firstSummary = try await first
        startedContinuation.finish()

        #expect(firstSummary.applied.map(\.version) == [1, 2, 3])
        #expect(second.applied.isEmpty)
        #expect(secondLog.all.first == .lockWaiting(holderPID: firstPID))
        #expect(secondLog.all.last == .upToDate(version: 3))
        #expect(try await database.journal().map(\.version) == [1, 2, 3])
    }

    @Test("a migrate that waits longer than its lock timeout fails with the holder's pid")
    func lockTimeout() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let holding = Migration(version: 1, name: "slow", sql: "SELECT pg_sleep(1.5); CREATE SCHEMA sample;")
        let (started, startedContinuation) = AsyncStream.makeStream(of: Int32.self)

        async let first = database.withAdminConnection { connection in
            let pid = connection.backendKeyData?.processID ?? 0
            return try await SampleMigrations.runner([holding]).migrate(on: connection) { progress in
                if case .applying = progress { startedContinuation.yield(pid) }
            }
        }
        var iterator = started.makeAsyncIterator()
        let firstPID = await iterator.next()
        let clock = ContinuousClock()
        let start = clock.now
        try await database.withAdminConnection { connection in
            await #expect {
                try await SampleMigrations.runner([holding], lockTimeout: .milliseconds(200)).migrate(on: connection)
            } throws: { error in
                guard case .lockTimeout(let pid, let waited) = error as? MigrationError else { return false }
                return pid == firstPID && waited == 0.2
            }
            // The session's own lock_timeout is back.
            let setting = try await connection.query("SELECT current_setting('lock_timeout')").collect()
            #expect(try setting[0].decode(String.self, at: 0) == "0")
        }
        #expect(clock.now - start < .seconds(1.2))
        #expect(try await first.applied.count == 1)
        startedContinuation.finish()
    }

    @Test("databases in one cluster migrate at the same time without waiting for each other")
    func separateDatabases() async throws {
        let databases = try await withThrowingTaskGroup(of: FinancbaseTestDatabase.self) { group in
            for _ in 0..<3 { group.addTask { try await FinancbaseTestServer.freshDatabase(migrated: false) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let runner = SampleMigrations.runner([Self.slow, SampleMigrations.accounts])
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for database in databases {
                group.addTask {
                    let log = ProgressLog()
                    try await database.withAdminConnection { try await runner.migrate(on: $0) { log.record($0) } }
                    #expect(!log.all.contains { if case .lockWaiting = $0 { true } else { false } })
                }
            }
            try await group.waitForAll()
        }
        // Three 0.6 s migrations in a row would take 1.8 s.
        #expect(clock.now - start < .seconds(1.7))
        for database in databases {
            #expect(try await database.journal().map(\.version) == [1, 2])
        }
    }
}
