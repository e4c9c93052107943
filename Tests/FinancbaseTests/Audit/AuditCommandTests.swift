import Financbase
import Foundation
import PGClient
import Testing

@Suite("financbase-db audit")
struct AuditCommandTests {
    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs the `financbase-db` built beside the test bundle with `arguments`, DATABASE_URL unset,
    /// plus `environment`.
    static func financbaseDB(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(
            atPath: folder.appendingPathComponent("financbase-db").path)
        {
            guard folder.pathComponents.count > 1, folder.lastPathComponent != "debug",
                folder.lastPathComponent != "release"
            else { throw CommandNotBuilt() }
            folder = folder.deletingLastPathComponent()
        }
        let process = Process()
        process.executableURL = folder.appendingPathComponent("financbase-db")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter {
            $0.key != "DATABASE_URL" && !$0.key.hasPrefix("PG")
        }.merging(environment) { _, given in given }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    struct CommandNotBuilt: Error {}

    /// A key=value connection string for the administrator of `database`.
    static func connectionString(_ database: FinancbaseTestDatabase) -> String? {
        let config = database.adminConfig
        guard let host = config.hosts.first else { return nil }
        func quoted(_ value: String) -> String {
            "'"
                + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                    of: "'", with: "\\'") + "'"
        }
        var parts = [
            "host=\(quoted(host.host))", "port=\(host.port)", "dbname=\(quoted(config.database))",
            "user=\(quoted(config.user))",
            "sslmode=\(config.sslMode == .disable ? "disable" : "prefer")",
        ]
        if let password = config.password { parts.append("password=\(quoted(password))") }
        return parts.joined(separator: " ")
    }

    @Test(
        "prints ok and exits 0 on a clean database; prints the offenders and exits 1 otherwise; --json"
    )
    func exitStatusAndOutput() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let url = try #require(Self.connectionString(database))
        let clean = try await Self.financbaseDB(["audit", "--url", url])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.hasPrefix("ok"))

        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                "ALTER TABLE financbase.test_ledger NO FORCE ROW LEVEL SECURITY")
        }
        let failing = try await Self.financbaseDB(["audit", "--url", url])
        #expect(failing.status == 1)
        #expect(failing.output.contains("row_security_not_forced: financbase.test_ledger"))

        let json = try await Self.financbaseDB(["audit", "--json", "--url", url])
        #expect(json.status == 1)
        let report = try JSONDecoder().decode(AuditReport.self, from: Data(json.output.utf8))
        #expect(report.offenders.map(\.kind) == [.rowSecurityNotForced])
        #expect(report.tenantTables.contains("financbase.test_ledger"))
    }
}
