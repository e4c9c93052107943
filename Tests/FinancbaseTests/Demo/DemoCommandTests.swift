import Financbase
import Foundation
import PGClient
import PGLocalCluster
import Testing

@Suite("financbase-db demo and seed, end to end")
struct DemoCommandTests {
    static let appPassword = ["FINANCBASE_APP_PASSWORD": FinancbaseTestServer.appPassword]

    /// A database nobody migrated yet, in a cluster where the roles exist with the test password:
    /// migrating another database first makes them, so no demo run here creates financbase_app
    /// with a password of its own (the roles are cluster-wide, shared with every suite).
    static func bareDatabase() async throws -> FinancbaseTestDatabase {
        _ = try await FinancbaseTestServer.freshDatabase()
        return try await FinancbaseTestServer.freshDatabase(migrated: false)
    }

    @Test(
        "demo --url on a bare database: migrates, seeds, shows both dashboards, proves isolation, audits"
    )
    func demoAgainstServer() async throws {
        let database = try await Self.bareDatabase()
        let url = try #require(FinancbaseCommand.connectionString(database))
        let clock = ContinuousClock()
        let start = clock.now
        let run = try await FinancbaseCommand.run(
            ["demo", "--url", url], environment: Self.appPassword)
        let elapsed = start.duration(to: clock.now)
        #expect(run.status == 0, "\(run.output)")
        let latest = try #require(try BundledMigrations.load().last).version
        for line in [
            "applied 0001_foundation", "applied 0009_access_rules", "applied 0012_real_estate", "applied 0013_workflows",
            "migrated to version \(latest)",
            "seeded clients: 8 rows (org Northwind Studio)",
            "seeded invoices: 24 rows (org Alpine Analytics GmbH)",
            "== 4. Dashboard of Northwind Studio (USD)",
            "== 5. Dashboard of Alpine Analytics GmbH (EUR)",
            "Recent transactions", "by type and category", "days past due",
            "Expenses by category per month",
            "✔ every row each tenant saw carries its own organization_id",
            "✔ not found: no invoices row with id",
            "✔ refused with SQLSTATE 42501: new row violates row-level security policy for table \"clients\"",
            "✔ rows seen: organizations 0, invoices 0, transactions 0, expenses 0, clients 0",
            "== 7. Access rules: who may do what, decided by the server",
            "✔ admins and users write the shared books, viewers and contractors do not, a deactivated user cannot sign in",
            "Real estate: occupancy on", "Rent roll on", "Rent in arrears on",
            "Workflows: failed runs of the last 30 days", "Workflow run times of the last 30 days",
            "seeded leases: ", "seeded workflow_runs: ",
            "tenant tables checked (RLS forced, policies, grants, views)", "Demo finished in",
        ] {
            #expect(run.output.contains(line), "missing: \(line)")
        }
        #expect(!run.output.contains("✘"))
        #expect(run.output.contains(" USD") && run.output.contains(" EUR"))
        // A bound that only catches a hang: the demo takes seconds.
        #expect(elapsed < .seconds(300))
        // What the demo wrote is really there, and only two organizations of it.
        let organizations = try await database.withAdminConnection { connection in
            try await connection.query("SELECT name FROM financbase.organizations ORDER BY name")
                .collect()
                .map { try $0.decode(String.self, at: 0) }
        }
        #expect(organizations == ["Alpine Analytics GmbH", "Northwind Studio"])
    }

    @Test("demo without a URL starts a throwaway cluster, runs everything on it, and removes it")
    func demoOnThrowawayCluster() async throws {
        let run = try await FinancbaseCommand.run(
            ["demo"], environment: ["FINANCBASE_APP_PASSWORD": ""])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("created role financbase_app"))
        #expect(run.output.contains("tenant tables checked (RLS forced, policies, grants, views)"))
        let line = try #require(
            run.output.split(separator: "\n").first { $0.hasPrefix("Running on 127.0.0.1:") })
        let words = line.split(separator: " ")
        let port = try #require(
            words.count > 4 ? Int(words[2].split(separator: ":").last ?? "") : nil)
        let directory = String(words[4].trimmingCharacters(in: CharacterSet(charactersIn: ";")))
        #expect(directory.hasPrefix("/tmp/pglocal."))
        #expect(!FileManager.default.fileExists(atPath: directory))
        // No server of that cluster is left. Asked of the processes, not of the port: the
        // suite's other tests start clusters and proxies on ports the kernel hands out, and
        // one of them may take this port as soon as the demo's server let go of it.
        #expect(port > 0)
        #expect(Self.processes(mentioning: directory).isEmpty)
    }

    /// The ids of the processes whose command line contains `text` (Linux's `/proc`).
    static func processes(mentioning text: String) -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { id in
            guard id.allSatisfy(\.isNumber), let line = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else {
                return false
            }
            return String(decoding: line, as: UTF8.self).contains(text)
        }
    }

    @Test("demo refuses clearly when financbase_app exists and its password is not given")
    func demoNeedsThePasswordOfAnExistingRole() async throws {
        let database = try await Self.bareDatabase()
        let url = try #require(FinancbaseCommand.connectionString(database))
        let run = try await FinancbaseCommand.run(
            ["demo", "--url", url], environment: ["FINANCBASE_APP_PASSWORD": ""])
        #expect(run.status != 0)
        #expect(run.output.contains("financbase_app already existed"), "\(run.output)")
    }

    @Test(
        "seed: needs FINANCBASE_APP_PASSWORD and a migrated database; each run adds organizations")
    func seedCommand() async throws {
        let bare = try await Self.bareDatabase()
        let bareURL = try #require(FinancbaseCommand.connectionString(bare))
        let noPassword = try await FinancbaseCommand.run(
            ["seed", "--url", bareURL], environment: ["FINANCBASE_APP_PASSWORD": ""])
        #expect(noPassword.status != 0)
        #expect(
            noPassword.output.contains("FINANCBASE_APP_PASSWORD is not set"), "\(noPassword.output)"
        )
        let unmigrated = try await FinancbaseCommand.run(
            ["seed", "--url", bareURL], environment: Self.appPassword)
        #expect(unmigrated.status != 0)
        #expect(
            unmigrated.output.contains("run `financbase-db migrate` first"), "\(unmigrated.output)")

        let database = try await FinancbaseTestServer.freshDatabase()
        let url = try #require(FinancbaseCommand.connectionString(database))
        let first = try await FinancbaseCommand.run(
            ["seed", "--url", url, "--organizations", "1"], environment: Self.appPassword)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("seeded organizations: 1 row (org Northwind Studio)"))
        #expect(first.output.contains("seeded expenses: "))
        #expect(first.output.contains("organization Northwind Studio: id "))
        let second = try await FinancbaseCommand.run(
            ["seed", "--url", url], environment: Self.appPassword)
        #expect(second.status == 0, "\(second.output)")
        let counts = try await database.withAdminConnection { connection in
            try await connection.query(
                "SELECT name, count(*) FROM financbase.organizations GROUP BY 1 ORDER BY 1"
            ).collect()
                .map { try $0.decode((String, Int64).self) }
        }
        #expect(counts.map(\.0) == ["Alpine Analytics GmbH", "Northwind Studio"])
        #expect(counts.map(\.1) == [1, 2])
    }
}
