@testable import Financbase
import Foundation
import PGClient
import Synchronization
import Testing

/// Backup and restore against a real PostgreSQL: the round trip, one snapshot under a
/// concurrent writer, and every refusal leaving nothing behind.
@Suite("Backup and restore")
struct BackupRestoreTests {
    @Test("a seeded database backs up and restores into an empty one, identical table by table")
    func roundTrip() async throws {
        let seeded = try await SeededDatabase.shared
        let path = BackupFixtures.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backup = try await seeded.database.withAdminConnection { connection in
            try await FinancbaseBackup.backup(on: connection, to: path)
        }
        #expect(backup.rows > 0)
        #expect(backup.compressionRatio > 1)
        let manifest = try BackupFileReader(path: path).manifest
        let tables = try await seeded.database.withAdminConnection { try await BackupCatalog.tables(on: $0) }
        #expect(manifest.tables.map(\.name) == tables.map(\.name))
        #expect(manifest.tables.last?.name == BackupCatalog.journal)
        #expect(manifest.schemaVersion == (try BundledMigrations.load().last?.version))

        // Into a database never migrated: restore migrates it to the backup's version first.
        let target = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let restored = try await target.withAdminConnection { connection in
            try await FinancbaseRestore.restore(
                from: path, on: connection, migrations: try BundledMigrations.load(),
                appPassword: FinancbaseTestServer.appPassword)
        }
        #expect(restored.rows == backup.rows)

        // A backup of the restored database has the same stream, byte for byte, per table
        // (the journals differ: each database keeps its own).
        let again = BackupFixtures.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: again) }
        _ = try await target.withAdminConnection { try await FinancbaseBackup.backup(on: $0, to: again) }
        let second = try BackupFileReader(path: again).manifest
        let data = { (m: BackupManifest) in m.tables.filter { $0.name != BackupCatalog.journal } }
        #expect(data(second) == data(manifest))
        #expect(second.migrations.map(\.checksum) == manifest.migrations.map(\.checksum))
    }

    @Test("a role that does not bypass row-level security is refused before anything is written")
    func refusesApplicationRole() async throws {
        let seeded = try await SeededDatabase.shared
        let path = BackupFixtures.temporaryPath()
        await #expect(throws: BackupError.roleDoesNotBypassRowSecurity(role: "financbase_app")) {
            try await seeded.database.withAppConnection { connection in
                try await FinancbaseBackup.backup(on: connection, to: path)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("money moved between accounts during the backup: the restored ledger balances to the cent")
    func consistentSnapshotUnderWrites() async throws {
        let seeded = try await SeededDatabase.seed()
        let database = seeded.database
        let total = "SELECT sum(current_balance)::text FROM financbase.accounts"
        let before = try await database.withAdminConnection { try await $0.query(PGQuery(unsafeSQL: total)).collect()[0].decode(String.self, at: 0) }
        let accounts = try await database.withAdminConnection { connection in
            try await connection.query(
                "SELECT id FROM financbase.accounts ORDER BY organization_id, id").collect().map { try $0.decode(UUID.self, at: 0) }
        }
        try #require(accounts.count >= 2)
        let path = BackupFixtures.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }

        let stop = Stopper()
        async let moves: Int = database.withAdminConnection { connection in
            var count = 0
            while !stop.isStopped || count < 20 {
                let from = accounts[count % accounts.count]
                let to = accounts[(count + 1) % accounts.count]
                try await connection.withTransaction { connection in
                    try await connection.execute(
                        "UPDATE financbase.accounts SET current_balance = current_balance - 12.34 WHERE id = \(from)")
                    try await connection.execute(
                        "UPDATE financbase.accounts SET current_balance = current_balance + 12.34 WHERE id = \(to)")
                }
                count += 1
                stop.moved()
            }
            return count
        }
        // The writer is under way before the backup starts, and goes on until it ends.
        while stop.moves < 5 { try await Task.sleep(for: .milliseconds(5)) }
        let movesAtStart = stop.moves
        let backup: Result<BackupSummary, any Error>
        do {
            backup = .success(try await database.withAdminConnection { connection in
                try await FinancbaseBackup.backup(on: connection, to: path)
            })
        } catch {
            backup = .failure(error)
        }
        let movesAtEnd = stop.moves
        stop.stop()
        let moved = try await moves
        #expect(movesAtEnd > movesAtStart, "no transfer committed while the backup ran")
        _ = try backup.get()
        #expect(moved >= 20)

        let target = try await FinancbaseTestServer.freshDatabase()
        try await target.withAdminConnection { connection in
            _ = try await FinancbaseRestore.restore(from: path, on: connection, migrations: try BundledMigrations.load())
        }
        let after = try await target.withAdminConnection { try await $0.query(PGQuery(unsafeSQL: total)).collect()[0].decode(String.self, at: 0) }
        #expect(after == before)
    }

    @Test("damaged files, a table missing from the manifest and a non-empty target: typed errors, nothing written")
    func refusals() async throws {
        let seeded = try await SeededDatabase.shared
        let good = BackupFixtures.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: good) }
        _ = try await seeded.database.withAdminConnection { try await FinancbaseBackup.backup(on: $0, to: good) }
        let target = try await FinancbaseTestServer.freshDatabase()
        let plugins = try await Self.pluginSlugs(target)

        func copy(_ change: (inout [UInt8]) -> Void) throws -> String {
            let path = BackupFixtures.temporaryPath("damaged")
            try FileManager.default.copyItem(atPath: good, toPath: path)
            try BackupFixtures.damage(path, change)
            return path
        }
        let truncated = try copy { $0.removeLast($0.count / 3) }
        let flipped = try copy { $0[$0.count - 100] ^= 0x40 }
        let version = try copy { BackupFixtures.setVersion(9, in: &$0) }
        let missing = try await BackupFixtures.rewrite(good) { $0.name != "financbase.invoices" }
        let cases: [(String, (any Error) -> Bool)] = [
            (truncated, { if case BackupError.truncated = $0 { true } else { false } }),
            (flipped, { $0 as? BackupError == .fileChecksumMismatch }),
            (version, { $0 as? BackupError == .unsupportedFormatVersion(found: 9, supported: 1) }),
            (missing, { $0 as? BackupError == .tableMissingFromManifest("financbase.invoices") }),
        ]
        for (path, matches) in cases {
            defer { try? FileManager.default.removeItem(atPath: path) }
            await #expect {
                try await target.withAdminConnection { connection in
                    try await FinancbaseRestore.restore(from: path, on: connection, migrations: try BundledMigrations.load())
                }
            } throws: { error in matches(error) }
            try await Self.expectNothingWritten(target, plugins: plugins)
        }

        // Restored once, the target is no longer empty: a second restore is refused.
        _ = try await target.withAdminConnection { connection in
            try await FinancbaseRestore.restore(from: good, on: connection, migrations: try BundledMigrations.load())
        }
        let rows = try await Self.rowCounts(target)
        await #expect(throws: BackupError.targetNotEmpty(table: "financbase.accounts")) {
            try await target.withAdminConnection { connection in
                try await FinancbaseRestore.restore(from: good, on: connection, migrations: try BundledMigrations.load())
            }
        }
        #expect(try await Self.rowCounts(target) == rows)
    }

    @Test("changed migration files are refused before the target is touched")
    func migrationChecksums() async throws {
        let seeded = try await SeededDatabase.shared
        let path = BackupFixtures.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await seeded.database.withAdminConnection { try await FinancbaseBackup.backup(on: $0, to: path) }
        var files = try BundledMigrations.load()
        files[2] = Migration(version: files[2].version, name: files[2].name, sql: files[2].sql + "\n-- changed\n")
        let target = try await FinancbaseTestServer.freshDatabase(migrated: false)
        await #expect(throws: BackupError.migrationChecksumsDiffer([files[2].version])) {
            try await target.withAdminConnection { connection in
                try await FinancbaseRestore.restore(from: path, on: connection, migrations: files)
            }
        }
        let journal = try await target.withAdminConnection { try await MigrationJournal.rows(on: $0) }
        #expect(journal.isEmpty)
    }

    static func pluginSlugs(_ database: FinancbaseTestDatabase) async throws -> [String] {
        try await database.withAdminConnection { connection in
            try await connection.query("SELECT slug FROM financbase.plugins ORDER BY slug").collect()
                .map { try $0.decode(String.self, at: 0) }
        }
    }

    static func expectNothingWritten(_ database: FinancbaseTestDatabase, plugins: [String]) async throws {
        let (tenantRows, slugs) = try await database.withAdminConnection { connection in
            let tables = try await BackupCatalog.tables(on: connection)
            return (try await BackupCatalog.firstTableWithRows(tables, on: connection), try await pluginSlugs(database))
        }
        #expect(tenantRows == nil)
        #expect(slugs == plugins)
    }

    static func rowCounts(_ database: FinancbaseTestDatabase) async throws -> [String: Int] {
        try await database.withAdminConnection { connection in
            var counts: [String: Int] = [:]
            for table in try await BackupCatalog.tables(on: connection) {
                counts[table.name] = try await connection.query(
                    PGQuery(unsafeSQL: "SELECT count(*) FROM \(table.name)")).collect()[0].decode(Int.self, at: 0)
            }
            return counts
        }
    }
}

/// A flag one task sets and another reads, and the writer's count of committed transfers.
final class Stopper: Sendable {
    private let flag = Mutex(false)
    private let count = Mutex(0)
    var isStopped: Bool { flag.withLock { $0 } }
    var moves: Int { count.withLock { $0 } }
    func stop() { flag.withLock { $0 = true } }
    func moved() { count.withLock { $0 += 1 } }
}
