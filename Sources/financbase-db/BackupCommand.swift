import ArgumentParser
import Financbase
import PGClient

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

    @OptionGroup var output: BackupOutputOptions

    func run() async throws {
        try await output.write(verb: "backed up to", over: database) { connection, file, progress in
            try await FinancbaseBackup.backup(on: connection, to: file, progress: progress)
        }
    }
}

/// `--out FILE` and `--json` of the commands that write a backup file, and the run they share:
/// progress on standard error, the summary on standard output.
struct BackupOutputOptions: ParsableArguments {
    @Option(name: .customLong("out"), help: "The file to write.")
    var file: String

    @Flag(help: "Print a machine-readable summary as JSON.")
    var json = false

    /// Connects with `database`, runs `body` with the file and a progress reporter, and prints
    /// the summary it returns.
    func write(
        verb: String, over database: DatabaseOptions,
        _ body: (PGConnection, String, (BackupProgress) -> Void) async throws -> BackupSummary
    ) async throws {
        let progress = BackupProgressLine()
        let summary = try await database.withConnection { connection in
            try await body(connection, file, progress.report)
        }
        try BackupSummaryOutput.print(summary, verb: verb, json: json)
    }
}
