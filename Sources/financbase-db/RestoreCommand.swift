import ArgumentParser
import Financbase

/// `financbase-db restore --in FILE`: a backup into a database with no Financbase data.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup into an empty database.",
        discussion: """
            Connect as a superuser (--url or DATABASE_URL). The whole file is checked first; the \
            database is migrated to the backup's schema version when behind (migrate --to), \
            refused when its migrations differ, it is ahead, or it holds data; then one \
            transaction copies every table and checks rows, checksums and foreign keys before \
            COMMIT. Any error leaves no data behind.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var source: MigrationSourceOptions

    @Option(name: .customLong("in"), help: "The backup file to read.")
    var file: String

    @Flag(help: "Print a machine-readable summary as JSON.")
    var json = false

    func run() async throws {
        let progress = BackupProgressLine()
        let migrations = try source.load()
        let password = AppRole.passwordFromEnvironment
        let summary = try await database.withConnection { connection in
            try await FinancbaseRestore.restore(
                from: file, on: connection, migrations: migrations, appPassword: password,
                progress: progress.report)
        }
        try BackupSummaryOutput.print(summary, verb: "restored from", json: json)
    }
}
