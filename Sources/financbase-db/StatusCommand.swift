import ArgumentParser
import Financbase
import Foundation

/// `financbase-db status`: every migration and whether it is applied, pending, changed, missing
/// or out of order; a table, or JSON with `--json`. Exits 1 when migrate would refuse to run.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show which migrations are applied.",
        discussion: """
            Exits 0 when every migration is applied or pending, 1 when one was changed after it \
            was applied, is missing from the files, or is numbered below the highest applied one.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var source: MigrationSourceOptions

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let runner = MigrationRunner(migrations: try source.load())
        let status = try await database.withConnection { try await runner.status(on: $0) }
        print(json ? try Self.json(status) : Self.table(status))
        if status.hasProblems { throw ExitCode(1) }
    }

    static func json(_ status: MigrationStatus) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(status), as: UTF8.self)
    }

    static func table(_ status: MigrationStatus) -> String {
        let dates = ISO8601DateFormatter()
        let header = ["migration", "state", "applied at", "ms", "checksum"]
        let rows = status.entries.map { entry in
            [
                entry.fileName, entry.state.rawValue,
                entry.appliedAt.map { dates.string(from: $0) } ?? "",
                entry.executionMilliseconds.map(String.init) ?? "",
                String((entry.checksum ?? entry.appliedChecksum ?? "").prefix(12)),
            ]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        let lines = ([header] + rows).map { cells in
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var summary = [
            "version \(status.currentVersion), \(status.entries(.pending).count) pending"
        ]
        if status.hasProblems {
            let counts = [MigrationStatus.State.changed, .missing, .outOfOrder].map { state in
                "\(status.entries(state).count) \(state.rawValue)"
            }
            summary.append("migrate would refuse to run: " + counts.joined(separator: ", "))
        }
        return (lines + summary).joined(separator: "\n")
    }
}
