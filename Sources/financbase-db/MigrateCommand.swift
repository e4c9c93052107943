import ArgumentParser
import Financbase
import Foundation

/// `financbase-db migrate`: apply the migrations not yet applied, a line as each starts and one
/// as it commits.
///
/// Needs an administrator's URL. `FINANCBASE_APP_PASSWORD` gives financbase_app its password
/// when migrate creates that role (an existing role keeps its own).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the migrations not yet applied.",
        discussion: """
            Connect as an administrator (--url or DATABASE_URL). Creates the roles financbase_owner \
            and financbase_app when missing; FINANCBASE_APP_PASSWORD is the application role's \
            password when migrate creates it. Exits non-zero, applying nothing, when an applied \
            migration's file changed or is missing.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var source: MigrationSourceOptions

    @Option(help: "Seconds to wait for another migrate of the same database.")
    var lockTimeout: Double = 60

    func validate() throws {
        guard lockTimeout >= 0, lockTimeout.isFinite else {
            throw ValidationError("--lock-timeout must be a number of seconds, 0 or more")
        }
    }

    func run() async throws {
        let password = ProcessInfo.processInfo.environment["FINANCBASE_APP_PASSWORD"].flatMap {
            $0.isEmpty ? nil : $0
        }
        let runner = MigrationRunner(
            migrations: try source.load(), appPassword: password, lockTimeout: .seconds(lockTimeout)
        )
        let summary = try await database.withConnection { connection in
            try await runner.migrate(on: connection) { progress in
                Self.printLine(progress.description)
                if case .roleCreated("financbase_app") = progress, password == nil {
                    Self.printLine(
                        "note: financbase_app has no password; set one with ALTER ROLE or FINANCBASE_APP_PASSWORD"
                    )
                }
            }
        }
        if !summary.applied.isEmpty { Self.printLine(summary.description) }
    }

    /// Writes a line unbuffered, so it shows at once even when stdout is a pipe.
    static func printLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Where the migrations come from: the bundled ones, or `--migrations <folder>`.
struct MigrationSourceOptions: ParsableArguments {
    @Option(
        name: .customLong("migrations"),
        help: "A folder of NNNN_name.sql files instead of the bundled migrations.")
    var folder: String?

    func load() throws -> [Migration] {
        guard let folder else { return try BundledMigrations.load() }
        return try MigrationDirectory.load(from: URL(fileURLWithPath: folder))
    }
}
