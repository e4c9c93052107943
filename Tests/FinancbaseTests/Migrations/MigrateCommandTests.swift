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
        let lines = first.standardOutput.split(separator: "\n").map(String.init)
        for migration in files {
            // Each migration is reported as it starts and again as it commits, in that order.
            let started = lines.firstIndex(of: "applying \(migration.fileName)")
            let ended = lines.firstIndex { $0.hasPrefix("applied \(migration.fileName) (") }
            #expect(started.map { start in ended.map { start < $0 } ?? false } == true, "\(first.output)")
        }
        #expect(first.standardError.contains("--url holds a password"), "\(first.standardError)")

        let second = try await FinancbaseCommand.run(["migrate", "--url", url], environment: environment)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("up to date at version \(files.last?.version ?? 0)"))
        #expect(!second.output.contains("applied "))

        let json = try await FinancbaseCommand.run(["status", "--json", "--url", url])
        #expect(json.status == 0, "\(json.output)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let status = try decoder.decode(MigrationStatus.self, from: Data(json.standardOutput.utf8))
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

    @Test("the password comes from PGPASSWORD or a password file without a warning")
    func passwordOutsideTheURL() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: true)
        let url = try #require(FinancbaseCommand.connectionString(database, includingPassword: false))
        let password = try #require(database.adminConfig.password)
        let fromEnvironment = try await FinancbaseCommand.run(
            ["status", "--url", url], environment: ["PGPASSWORD": password])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.output)")
        #expect(!fromEnvironment.standardError.contains("warning"), "\(fromEnvironment.standardError)")

        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("financbase-pgpass-\(UUID().uuidString)")
        try "*:*:*:\(database.adminConfig.user):\(password)\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        // libpq ignores a password file others can read; so does the driver.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let fromFile = try await FinancbaseCommand.run(
            ["status", "--url", url], environment: ["PGPASSFILE": file.path])
        #expect(fromFile.status == 0, "\(fromFile.output)")
        #expect(!fromFile.standardError.contains("warning"), "\(fromFile.standardError)")

        let none = try await FinancbaseCommand.run(["status", "--url", url])
        #expect(none.status != 0, "\(none.output)")
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
