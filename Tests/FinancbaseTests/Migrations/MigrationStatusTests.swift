import Financbase
import Foundation
import PGClient
import Testing

@Suite("Migration status")
struct MigrationStatusTests {
    @Test("a database never migrated: every file pending, and looking creates nothing")
    func neverMigrated() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let status = try await database.withAdminConnection {
            try await SampleMigrations.runner(SampleMigrations.all).status(on: $0)
        }
        #expect(status.entries.map(\.state) == [.pending, .pending, .pending])
        #expect(status.currentVersion == 0)
        #expect(!status.hasProblems && !status.isUpToDate)
        #expect(try await !database.exists("financbase_meta.schema_migrations"))
    }

    @Test("applied, pending, changed, missing and out of order, each with what the journal says")
    func everyState() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let late = Migration(version: 5, name: "late", sql: "CREATE SCHEMA late;")
        let gone = Migration(version: 6, name: "gone", sql: "CREATE SCHEMA gone;")
        try await database.withAdminConnection { connection in
            try await SampleMigrations.runner([
                SampleMigrations.schema, SampleMigrations.accounts, late, gone,
            ])
            .migrate(on: connection)
        }
        let edited = Migration(
            version: 2, name: "accounts", sql: SampleMigrations.accounts.sql + " ")
        let next = Migration(version: 7, name: "next", sql: "SELECT 1;")
        let files = [SampleMigrations.schema, edited, SampleMigrations.entries, late, next]
        let status = try await database.withAdminConnection {
            try await SampleMigrations.runner(files).status(on: $0)
        }
        #expect(status.entries.map(\.version) == [1, 2, 3, 5, 6, 7])
        #expect(
            status.entries.map(\.state) == [
                .applied, .changed, .outOfOrder, .applied, .missing, .pending,
            ])
        #expect(status.currentVersion == 6)
        #expect(status.hasProblems)
        let changed = try #require(status.entries(.changed).first)
        #expect(
            changed.checksum == edited.checksum
                && changed.appliedChecksum == SampleMigrations.accounts.checksum)
        let missing = try #require(status.entries(.missing).first)
        #expect(missing.name == "gone" && missing.checksum == nil && missing.appliedAt != nil)
        let pending = try #require(status.entries(.pending).first)
        #expect(
            pending.appliedAt == nil && pending.executionMilliseconds == nil
                && pending.appliedBy == nil)

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let json = try encoder.encode(status)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"outOfOrder\"") && text.contains("\"appliedChecksum\""))
        #expect(text.contains("\"currentVersion\":6") && text.contains("\"hasProblems\":true"))
        let decoded = try decoder.decode(MigrationStatus.self, from: json)
        #expect(decoded.entries.map(\.state) == status.entries.map(\.state))
        #expect(decoded.entries.map(\.checksum) == status.entries.map(\.checksum))
    }

    @Test("after a migrate with the bundled files the status is up to date")
    func upToDate() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let migrations = try BundledMigrations.load()
        let status = try await database.withAdminConnection {
            try await MigrationRunner(migrations: migrations).status(on: $0)
        }
        #expect(status.isUpToDate)
        #expect(status.currentVersion == migrations.last?.version)
        #expect(
            status.entries.allSatisfy { $0.appliedBy != nil && $0.checksum == $0.appliedChecksum })
    }
}
