import Financbase
import PGClient
import Testing

@Suite("Migration runner")
struct MigrationRunnerTests {
    @Test("applies in version order, one report each, and journals version, name and checksum")
    func appliesInOrder() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let log = ProgressLog()
        // Given out of order: the runner sorts, or 0003's foreign key would fail.
        let runner = SampleMigrations.runner(SampleMigrations.all.reversed())
        let summary = try await database.withAdminConnection { connection in
            try await runner.migrate(on: connection) { log.record($0) }
        }
        #expect(summary.applied.map(\.version) == [1, 2, 3])
        #expect(summary.version == 3)
        let reports = log.all.filter { if case .roleCreated = $0 { false } else { true } }
        #expect(
            reports.map(\.description).filter { $0.hasPrefix("applying") }
                == ["applying 0001_schema", "applying 0002_accounts", "applying 0003_entries"])
        #expect(reports.filter { if case .applied = $0 { true } else { false } }.count == 3)
        let journal = try await database.journal()
        #expect(journal.map(\.version) == [1, 2, 3])
        #expect(journal.map(\.name) == ["schema", "accounts", "entries"])
        #expect(journal.map(\.checksum) == SampleMigrations.all.map(\.checksum))
        try await database.withAdminConnection { connection in
            let rows = try await connection.query(
                """
                SELECT bool_and(applied_by = current_user AND execution_ms >= 0 AND applied_at <= now())
                FROM financbase_meta.schema_migrations
                """
            ).collect()
            #expect(try rows[0].decode(Bool.self, at: 0))
            #expect(connection.transactionStatus == .idle)
        }
    }

    @Test("a second run applies nothing and reports up to date")
    func secondRunIsNoOp() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let runner = SampleMigrations.runner(SampleMigrations.all)
        try await database.withAdminConnection { try await runner.migrate(on: $0) }
        let before = try await database.journal()
        let log = ProgressLog()
        let summary = try await database.withAdminConnection { connection in
            try await runner.migrate(on: connection) { log.record($0) }
        }
        #expect(summary.applied.isEmpty)
        #expect(summary.description == "up to date at version 3")
        #expect(log.all == [.upToDate(version: 3)])
        #expect(try await database.journal().map(\.checksum) == before.map(\.checksum))
    }

    @Test("an applied file whose checksum changed stops the run before anything is applied")
    func changedChecksumRefuses() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        try await database.withAdminConnection { connection in
            try await SampleMigrations.runner([SampleMigrations.schema, SampleMigrations.accounts])
                .migrate(on: connection)
        }
        let edited = Migration(
            version: 2, name: "accounts", sql: SampleMigrations.accounts.sql + "\n-- edited")
        let runner = SampleMigrations.runner([
            SampleMigrations.schema, edited, SampleMigrations.entries,
        ])
        await #expect {
            try await database.withAdminConnection { try await runner.migrate(on: $0) }
        } throws: { error in
            guard case .checksumMismatch(let entries) = error as? MigrationError else {
                return false
            }
            return entries.map(\.version) == [2]
                && entries[0].appliedChecksum == SampleMigrations.accounts.checksum
                && entries[0].checksum == edited.checksum
        }
        #expect(try await database.journal().map(\.version) == [1, 2])
        #expect(try await !database.exists("sample.entries"))
    }

    @Test("a journal version with no file stops the run")
    func missingFileRefuses() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        try await database.withAdminConnection { connection in
            try await SampleMigrations.runner([SampleMigrations.schema, SampleMigrations.accounts])
                .migrate(on: connection)
        }
        await #expect {
            try await database.withAdminConnection {
                try await SampleMigrations.runner([SampleMigrations.schema]).migrate(on: $0)
            }
        } throws: { error in
            guard case .missingFiles(let entries) = error as? MigrationError else { return false }
            return entries.map(\.fileName) == ["0002_accounts"]
        }
    }

    @Test("a new file numbered below the highest applied version stops the run")
    func outOfOrderRefuses() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let late = Migration(version: 5, name: "late", sql: "CREATE SCHEMA late;")
        try await database.withAdminConnection { connection in
            try await SampleMigrations.runner([SampleMigrations.schema, late]).migrate(
                on: connection)
        }
        await #expect {
            try await database.withAdminConnection {
                try await SampleMigrations.runner([
                    SampleMigrations.schema, SampleMigrations.accounts, late,
                ]).migrate(on: $0)
            }
        } throws: { error in
            guard case .outOfOrder(let entries, let highest) = error as? MigrationError else {
                return false
            }
            return entries.map(\.version) == [2] && highest == 5
        }
        #expect(try await !database.exists("sample.accounts"))
    }

    @Test(
        "a failing file is rolled back whole, earlier files stay, the error locates it; a fixed file applies"
    )
    func failingFileRollsBackOnlyItself() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let broken = Migration(
            version: 2, name: "accounts",
            sql: """
                CREATE TABLE sample.accounts (id integer PRIMARY KEY);
                INSERT INTO sample.accounts VALUES (1);
                SELECT no_such_column FROM sample.accounts;
                """)
        let log = ProgressLog()
        try await database.withAdminConnection { connection in
            await #expect {
                try await SampleMigrations.runner([
                    SampleMigrations.schema, broken, SampleMigrations.entries,
                ])
                .migrate(on: connection) { log.record($0) }
            } throws: { error in
                guard
                    case .migrationFailed(2, "accounts", let line, let column, let cause) = error
                        as? MigrationError
                else { return false }
                return line == 3 && column == 8 && cause.sqlState == .undefinedColumn
                    && "\(error)".contains("0002_accounts line 3 column 8")
            }
            // The connection is idle and usable, and the lock was given back.
            #expect(connection.transactionStatus == .idle)
            let rows = try await connection.query(
                """
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """
            ).collect()
            #expect(try rows[0].decode(Int.self, at: 0) == 0)
        }
        #expect(!log.all.contains { if case .applying(3, _) = $0 { true } else { false } })
        #expect(try await database.journal().map(\.version) == [1])
        #expect(try await database.exists("sample.accounts") == false)

        // Never applied, so the file may still change: the fixed one applies with what follows.
        let summary = try await database.withAdminConnection { connection in
            try await SampleMigrations.runner(SampleMigrations.all).migrate(on: connection)
        }
        #expect(summary.applied.map(\.version) == [2, 3])
        #expect(
            try await database.journal().map(\.checksum) == SampleMigrations.all.map(\.checksum))
    }

    @Test("a file with its own COMMIT is refused before anything runs")
    func transactionControlRefused() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let committing = Migration(
            version: 2, name: "commits", sql: "CREATE TABLE sample.t (x int);\nCOMMIT;")
        await #expect {
            try await database.withAdminConnection {
                try await SampleMigrations.runner([SampleMigrations.schema, committing]).migrate(
                    on: $0)
            }
        } throws: { error in
            guard case .transactionControl(2, "commits", "COMMIT", 2) = error as? MigrationError
            else { return false }
            return true
        }
        #expect(try await !database.exists("financbase_meta.schema_migrations"))
    }

    @Test("a COMMIT by a procedure is the server's error, rolled back")
    func procedureCommitRefused() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let hidden = Migration(
            version: 2, name: "hidden",
            sql: """
                CREATE PROCEDURE sample.sneaky() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;
                CALL sample.sneaky();
                """)
        await #expect {
            try await database.withAdminConnection {
                try await SampleMigrations.runner([SampleMigrations.schema, hidden]).migrate(on: $0)
            }
        } throws: { error in
            guard case .migrationFailed(2, "hidden", _, _, let cause) = error as? MigrationError
            else { return false }
            return cause.sqlState == .invalidTransactionTermination
        }
        #expect(try await database.journal().map(\.version) == [1])
    }

    @Test("a role change the scan cannot see is caught before the journal row, and rolled back")
    func hiddenRoleChangeCaught() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        // set_config('role', …) is SET LOCAL ROLE in disguise: the table would belong to the administrator.
        let hidden = Migration(
            version: 2, name: "hidden",
            sql: """
                SELECT set_config('role', 'none', true);
                CREATE TABLE sample.adminowned (id integer);
                """)
        await #expect {
            try await database.withAdminConnection {
                try await SampleMigrations.runner([SampleMigrations.schema, hidden]).migrate(on: $0)
            }
        } throws: { error in
            guard case .transactionEnded(2, "hidden") = error as? MigrationError else {
                return false
            }
            return true
        }
        #expect(try await database.journal().map(\.version) == [1])
        #expect(try await !database.exists("sample.adminowned"))
    }

    @Test("two migrations with one version are refused")
    func duplicateInMemory() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let twin = Migration(version: 1, name: "twin", sql: "SELECT 1;")
        await #expect {
            try await database.withAdminConnection {
                try await SampleMigrations.runner([SampleMigrations.schema, twin]).status(on: $0)
            }
        } throws: { error in
            guard case .duplicateVersion(1, let names) = error as? MigrationError else {
                return false
            }
            return names == ["0001_schema", "0001_twin"]
        }
    }

    @Test("a connection inside a transaction is refused")
    func connectionInTransaction() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        try await database.withAdminConnection { connection in
            try await connection.simpleQuery("BEGIN")
            await #expect {
                try await SampleMigrations.runner(SampleMigrations.all).migrate(on: connection)
            } throws: { error in
                guard case .connectionInTransaction = error as? MigrationError else { return false }
                return true
            }
            try await connection.simpleQuery("ROLLBACK")
        }
    }
}
