import Financbase
import Foundation
import PGClient
import Testing

/// `financbase-db migrate` and `status`, run as a deployer would.
@Suite("financbase-db migrate and status")
struct MigrateCommandTests {
    @Test("migrate prints a line per file, then is up to date; status --json agrees; a changed file is refused")
    func migrateThenStatus() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let url = try #require(FinancbaseCommand.connectionString(database))
        let environment = ["FINANCBASE_APP_PASSWORD": FinancbaseTestServer.appPassword]
        let files = try BundledMigrations.load()

        let first = try await FinancbaseCommand.run(["migrate", "--url", url], environment: environment)
        #expect(first.status == 0, "\(first.output)")
        for migration in files {
            #expect(first.output.contains("applied \(migration.fileName) ("), "\(first.output)")
        }

        let second = try await FinancbaseCommand.run(["migrate", "--url", url], environment: environment)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("up to date at version \(files.last?.version ?? 0)"))
        #expect(!second.output.contains("applied "))

        let json = try await FinancbaseCommand.run(["status", "--json", "--url", url])
        #expect(json.status == 0, "\(json.output)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let status = try decoder.decode(MigrationStatus.self, from: Data(json.output.utf8))
        #expect(status.entries.map(\.version) == files.map(\.version))
        #expect(status.entries.allSatisfy { $0.state == .applied && $0.checksum == $0.appliedChecksum })

        // An applied file that no longer matches its journal entry stops both commands.
        try await database.withAdminConnection { connection in
            try await connection.execute(
                "UPDATE financbase_meta.schema_migrations SET checksum = repeat('0', 64) WHERE version = 1")
        }
        let changed = try await FinancbaseCommand.run(["status", "--url", url])
        #expect(changed.status == 1, "\(changed.output)")
        let refused = try await FinancbaseCommand.run(["migrate", "--url", url], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.output.contains("0001"), "\(refused.output)")
    }

    @Test("without --url or DATABASE_URL the commands say what is missing and exit non-zero")
    func noDatabase() async throws {
        for command in ["migrate", "status", "audit"] {
            let run = try await FinancbaseCommand.run([command])
            #expect(run.status != 0)
            #expect(run.output.contains("DATABASE_URL"), "\(command): \(run.output)")
        }
    }
}
