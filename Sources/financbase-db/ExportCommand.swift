import ArgumentParser
import Financbase
import Foundation

/// `financbase-db export --organization ID --out FILE`: one organization's data, read as the
/// application inside that organization's contexts, in the backup format.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export one organization's data to a file.",
        discussion: """
            Connect as a superuser (--url or DATABASE_URL). The rows are read as financbase_app \
            in the organization's own contexts, so row-level security keeps every other \
            organization's rows out; each table's count is checked against the administrator's. \
            The plugin catalogue (global) is not exported. Import the file with \
            `restore --in FILE --organization ID`.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The organization's id.", transform: OrganizationID.parse)
    var organization: UUID

    @OptionGroup var output: BackupOutputOptions

    func run() async throws {
        try await output.write(verb: "exported to", over: database) { connection, file, progress in
            try await FinancbaseExport.export(organization: organization, on: connection, to: file, progress: progress)
        }
    }
}

/// Parses an organization id given on the command line.
enum OrganizationID {
    static func parse(_ text: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else {
            throw ValidationError("not an organization id (a UUID): \(text)")
        }
        return id
    }
}
