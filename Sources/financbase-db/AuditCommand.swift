import ArgumentParser
import Financbase
import Foundation
import PGClient

/// `financbase-db audit`: check row-level security, roles and views; exit non-zero on any offender.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check row-level security, roles and views; exit non-zero on any offender.",
        discussion: """
            Connect as a role that can read the catalogs (an administrator or the owner). Prints each \
            offender as `kind: object: detail` and exits 1 when there is any, or prints `ok` and exits 0. \
            Notes (tables every tenant shares) are printed but do not fail. A SECURITY DEFINER function \
            the application may call fails the audit unless it is one of the identity lookups of \
            migration 0008, owned by financbase_lookup.
            """)

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "The role the application logs in as.")
    var appRole = "financbase_app"

    @Option(help: "The role that owns the schema objects.")
    var ownerRole = "financbase_owner"

    @Option(
        name: .customLong("schema"),
        help: "A schema whose tables and views are checked (repeatable).")
    var schemas: [String] = ["financbase"]

    func run() async throws {
        let connection = try await PGConnection.connect(config: try database.config())
        let report: AuditReport
        do {
            report = try await FinancbaseAudit.run(
                on: connection, appRole: appRole, ownerRole: ownerRole, schemas: schemas)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for finding in report.offenders { print(finding) }
            if report.isClean {
                print(
                    "ok: \(report.tenantTables.count) tenant tables checked; "
                        + "\(report.globalTables.count) global table\(report.globalTables.count == 1 ? "" : "s"), read-only for \(appRole)")
            }
        }
        if !report.isClean { throw ExitCode(1) }
    }
}
