import ArgumentParser
import Financbase
import Foundation

/// `financbase-db restore --in FILE`: a backup into a database with no Financbase data; with
/// `--organization ID`, an organization export into a database that does not hold it yet.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup into an empty database.",
        discussion: """
            Connect as a superuser (--url or DATABASE_URL). The whole file is checked first; the \
            database is migrated to the backup's schema version when behind (migrate --to), \
            refused when its migrations differ, it is ahead, or it holds data; then one \
            transaction copies every table and checks rows, checksums and foreign keys before \
            COMMIT. Any error leaves no data behind.

            With --organization ID, FILE must be that organization's export: it is imported             into a database at the export's schema version (or never migrated) that does not             hold the organization yet, beside the organizations there. A row clashing with             another organization's Clerk id, slug or id is refused and nothing is written.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var source: MigrationSourceOptions

    @Option(name: .customLong("in"), help: "The backup file to read.")
    var file: String

    @Option(
        help: "Import an organization export; the file must be this organization's.",
        transform: OrganizationID.parse)
    var organization: UUID?

    @Flag(help: "Print a machine-readable summary as JSON.")
    var json = false

    func run() async throws {
        let progress = BackupProgressLine()
        let migrations = try source.load()
        let password = AppRole.passwordFromEnvironment
        let summary = try await database.withConnection { connection in
            if let organization {
                try await FinancbaseRestore.restoreOrganization(
                    from: file, on: connection, migrations: migrations, organization: organization,
                    appPassword: password, progress: progress.report)
            } else {
                try await FinancbaseRestore.restore(
                    from: file, on: connection, migrations: migrations, appPassword: password,
                    progress: progress.report)
            }
        }
        try BackupSummaryOutput.print(summary, verb: "restored from", json: json)
    }
}
