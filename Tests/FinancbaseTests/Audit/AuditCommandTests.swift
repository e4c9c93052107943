import Financbase
import Foundation
import PGClient
import Testing

@Suite("financbase-db audit")
struct AuditCommandTests {
    @Test(
        "prints ok and exits 0 on a clean database; prints the offenders and exits 1 otherwise; --json"
    )
    func exitStatusAndOutput() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let url = try #require(FinancbaseCommand.connectionString(database))
        let clean = try await FinancbaseCommand.run(["audit", "--url", url])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.hasPrefix("ok"))

        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                "ALTER TABLE financbase.test_ledger NO FORCE ROW LEVEL SECURITY")
        }
        let failing = try await FinancbaseCommand.run(["audit", "--url", url])
        #expect(failing.status == 1)
        #expect(failing.output.contains("row_security_not_forced: financbase.test_ledger"))

        let json = try await FinancbaseCommand.run(["audit", "--json", "--url", url])
        #expect(json.status == 1)
        let report = try JSONDecoder().decode(AuditReport.self, from: Data(json.standardOutput.utf8))
        #expect(report.offenders.map(\.kind) == [.rowSecurityNotForced])
        #expect(report.tenantTables.contains("financbase.test_ledger"))
    }
}
