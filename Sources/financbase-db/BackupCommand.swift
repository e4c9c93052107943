import ArgumentParser
import Financbase

/// `financbase-db backup --out FILE`: every table and the migration journal from one snapshot,
/// zlib-compressed, with a manifest first and a checksum last.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Back up the whole database to a file.",
        discussion: """
            Connect as a superuser or a role with BYPASSRLS (--url or DATABASE_URL); any other \
            role is refused, since row-level security would hide rows. One REPEATABLE READ, READ \
            ONLY transaction: writers go on, and the file holds one snapshot. FILE appears only \
            when the backup is complete. Progress goes to standard error when it is a terminal.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("out"), help: "The backup file to write.")
    var file: String

    @Flag(help: "Print a machine-readable summary as JSON.")
    var json = false

    func run() async throws {
        let progress = BackupProgressLine()
        let summary = try await database.withConnection { connection in
            try await FinancbaseBackup.backup(on: connection, to: file, progress: progress.report)
        }
        try BackupSummaryOutput.print(summary, verb: "backed up to", json: json)
    }
}
