import Financbase
import Foundation
import PGClient
import Testing

/// `financbase-db backup`, `restore`, `migrate --to` and `migrate --backup-to`, run as an
/// operator would.
@Suite("financbase-db backup, restore and migrate --to / --backup-to")
struct BackupCommandTests {
    @Test("backup --json and restore --json round trip; the application role is refused with a clear message")
    func backupAndRestore() async throws {
        let seeded = try await SeededDatabase.shared
        let url = try #require(FinancbaseCommand.connectionString(seeded.database))
        let path = BackupFixtures.temporaryPath("command")
        defer { try? FileManager.default.removeItem(atPath: path) }

        let backup = try await FinancbaseCommand.run(["backup", "--out", path, "--json", "--url", url])
        #expect(backup.status == 0, "\(backup.output)")
        let summary = try JSONDecoder().decode(BackupSummary.self, from: Data(backup.standardOutput.utf8))
        #expect(summary.rows > 0 && summary.fileBytes > 0 && summary.compressionRatio > 1)

        let appURL = try #require(
            FinancbaseCommand.connectionString(FinancbaseTestDatabase(adminConfig: seeded.database.appConfig)))
        let refused = try await FinancbaseCommand.run(["backup", "--out", path + ".app", "--url", appURL])
        #expect(refused.status != 0)
        #expect(refused.output.contains("does not bypass row-level security"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: path + ".app"))

        let target = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let targetURL = try #require(FinancbaseCommand.connectionString(target))
        let restore = try await FinancbaseCommand.run(
            ["restore", "--in", path, "--json", "--url", targetURL],
            environment: ["FINANCBASE_APP_PASSWORD": FinancbaseTestServer.appPassword])
        #expect(restore.status == 0, "\(restore.output)")
        let restored = try JSONDecoder().decode(BackupSummary.self, from: Data(restore.standardOutput.utf8))
        #expect(restored.rows == summary.rows)

        let again = try await FinancbaseCommand.run(["restore", "--in", path, "--url", targetURL])
        #expect(again.status != 0)
        #expect(again.output.contains("not empty"), "\(again.output)")
    }

    @Test("migrate --to stops at a version; --backup-to backs up first, and a failed backup applies nothing")
    func migrateToAndBackupFirst() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let url = try #require(FinancbaseCommand.connectionString(database))
        let environment = ["FINANCBASE_APP_PASSWORD": FinancbaseTestServer.appPassword]
        let files = try BundledMigrations.load()

        let partial = try await FinancbaseCommand.run(["migrate", "--to", "5", "--url", url], environment: environment)
        #expect(partial.status == 0, "\(partial.output)")
        #expect(try await Self.version(database) == 5)

        let failed = try await FinancbaseCommand.run(
            ["migrate", "--backup-to", "/nonexistent-folder/backup.fbbackup", "--url", url], environment: environment)
        #expect(failed.status != 0)
        #expect(try await Self.version(database) == 5)

        let path = BackupFixtures.temporaryPath("before-migrate")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let migrated = try await FinancbaseCommand.run(
            ["migrate", "--backup-to", path, "--url", url], environment: environment)
        #expect(migrated.status == 0, "\(migrated.output)")
        #expect(try await Self.version(database) == files.last?.version)
        let manifest = try BackupFileReader(path: path).manifest
        #expect(manifest.schemaVersion == 5)

        // Nothing to apply: no backup is taken.
        let upToDate = BackupFixtures.temporaryPath("up-to-date")
        let nothing = try await FinancbaseCommand.run(["migrate", "--backup-to", upToDate, "--url", url], environment: environment)
        #expect(nothing.status == 0, "\(nothing.output)")
        #expect(!FileManager.default.fileExists(atPath: upToDate))
    }

    @Test("export --organization --json, then restore --organization; a bad id, a wrong one and a full restore of an export are refused")
    func exportAndImport() async throws {
        let seeded = try await SeededDatabase.shared
        let organization = seeded.organizations[1].admin.organizationID.uuidString.lowercased()
        let url = try #require(FinancbaseCommand.connectionString(seeded.database))
        let path = BackupFixtures.temporaryPath("command-export")
        defer { try? FileManager.default.removeItem(atPath: path) }

        let export = try await FinancbaseCommand.run(
            ["export", "--organization", organization, "--out", path, "--json", "--url", url])
        #expect(export.status == 0, "\(export.output)")
        let summary = try JSONDecoder().decode(BackupSummary.self, from: Data(export.standardOutput.utf8))
        #expect(summary.kind == .organization && summary.rows > 0)

        let badID = try await FinancbaseCommand.run(["export", "--organization", "acme", "--out", path + ".x", "--url", url])
        #expect(badID.status != 0)
        #expect(badID.output.contains("not an organization id"), "\(badID.output)")

        let target = try await FinancbaseTestServer.freshDatabase()
        let targetURL = try #require(FinancbaseCommand.connectionString(target))
        let asFull = try await FinancbaseCommand.run(["restore", "--in", path, "--url", targetURL])
        #expect(asFull.status != 0)
        #expect(asFull.output.contains("restore it with --organization ID"), "\(asFull.output)")
        let wrong = try await FinancbaseCommand.run(
            ["restore", "--in", path, "--organization", UUID().uuidString, "--url", targetURL])
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("is an export of organization \(organization)"), "\(wrong.output)")

        let restore = try await FinancbaseCommand.run(
            ["restore", "--in", path, "--organization", organization, "--json", "--url", targetURL])
        #expect(restore.status == 0, "\(restore.output)")
        let restored = try JSONDecoder().decode(BackupSummary.self, from: Data(restore.standardOutput.utf8))
        #expect(restored.rows == summary.rows)
    }

    static func version(_ database: FinancbaseTestDatabase) async throws -> Int {
        try await database.withAdminConnection { connection in
            try await connection.query("SELECT max(version) FROM financbase_meta.schema_migrations").collect()[0]
                .decode(Int.self, at: 0)
        }
    }
}
