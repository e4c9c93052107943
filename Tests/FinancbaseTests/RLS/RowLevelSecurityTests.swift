import Foundation
import PGClient
import Synchronization
import Testing

@testable import Financbase

@Suite("Row-level security")
struct RowLevelSecurityTests {
    /// A migrated database with the test ledger, holding one row for each of two organizations.
    static func ledgerWithTwoTenants() async throws -> (FinancbaseTestDatabase, a: UUID, b: UUID) {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let (a, b) = (UUID(), UUID())
        _ = try await database.withAdminConnection { connection in
            try await connection.execute(
                "INSERT INTO financbase.test_ledger (organization_id, memo) VALUES (\(a), 'a'), (\(b), 'b')"
            )
        }
        return (database, a, b)
    }

    static func ledgerRowCount(_ connection: PGConnection) async throws -> Int64 {
        try await connection.query("SELECT count(*) FROM financbase.test_ledger").collect()[0]
            .decode(Int64.self, at: 0)
    }

    @Test("without a context the application sees no row")
    func noContextNoRows() async throws {
        let (database, _, _) = try await Self.ledgerWithTwoTenants()
        let seen = try await database.withAppConnection { try await Self.ledgerRowCount($0) }
        #expect(seen == 0)
    }

    @Test("an empty context after DISCARD ALL is no error and shows no row")
    func emptyContextAfterDiscardAll() async throws {
        let (database, a, _) = try await Self.ledgerWithTwoTenants()
        try await database.withAppConnection { connection in
            try await connection.execute(
                "SELECT set_config('app.current_org_id', \(a.uuidString), false)")
            #expect(try await Self.ledgerRowCount(connection) == 1)
            try await connection.simpleQuery("DISCARD ALL")
            let setting = try await connection.query(
                "SELECT current_setting('app.current_org_id', true)"
            ).collect()
            #expect(try setting[0].decode(String?.self, at: 0) == "")
            #expect(try await Self.ledgerRowCount(connection) == 0)
        }
    }

    @Test("cross-tenant INSERT, UPDATE and upserts fail with 42501 and change nothing")
    func crossTenantWritesAreRefused() async throws {
        let (database, a, b) = try await Self.ledgerWithTwoTenants()
        let bRowID = try await database.withAdminConnection { connection in
            try await connection.query(
                "SELECT id FROM financbase.test_ledger WHERE organization_id = \(b)"
            )
            .collect()[0].decode(UUID.self, at: 0)
        }
        let before = try await TestLedger.counts(in: database)
        let attacks: [(StaticString, PGQuery)] = [
            (
                "insert",
                "INSERT INTO financbase.test_ledger (organization_id, memo) VALUES (\(b), 'forged')"
            ),
            (
                "move",
                "UPDATE financbase.test_ledger SET organization_id = \(b) WHERE organization_id = \(a)"
            ),
            (
                "upsert-into",
                """
                INSERT INTO financbase.test_ledger (organization_id, memo) VALUES (\(b), 'forged')
                ON CONFLICT (id) DO UPDATE SET memo = excluded.memo
                """
            ),
            (
                "upsert-over",
                """
                INSERT INTO financbase.test_ledger (id, organization_id, memo) VALUES (\(bRowID), \(a), 'forged')
                ON CONFLICT (id) DO UPDATE SET memo = excluded.memo
                """
            ),
        ]
        try await database.withPoolAndStore(maxConnections: 2) { _, store in
            for (name, attack) in attacks {
                let error = await #expect(throws: PGError.self, "\(name)") {
                    try await store.withTenant(.random(organization: a)) { repos in
                        try await repos.session.execute(name, attack)
                    }
                }
                #expect(
                    error?.sqlState == .insufficientPrivilege,
                    "\(name): \(String(describing: error))")
            }
            // An UPDATE or DELETE aimed at the other tenant's row finds nothing to touch.
            let touched = try await store.withTenant(.random(organization: a)) { repos in
                (
                    try await repos.session.execute(
                        "steal", "UPDATE financbase.test_ledger SET memo = 'x' WHERE id = \(bRowID)"
                    ).rowCount,
                    try await repos.session.execute(
                        "wipe", "DELETE FROM financbase.test_ledger WHERE organization_id = \(b)"
                    ).rowCount
                )
            }
            #expect(touched.0 == 0 && touched.1 == 0)
        }
        #expect(try await TestLedger.counts(in: database) == before)
        let memoB = try await database.withAdminConnection { connection in
            try await connection.query(
                "SELECT memo FROM financbase.test_ledger WHERE id = \(bRowID)"
            ).collect()[0]
            .decode(String.self, at: 0)
        }
        #expect(memoB == "b")
    }

    @Test("one pooled connection, tenant A then tenant B: B sees nothing of A")
    func oneConnectionTwoTenants() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let (a, b) = (TenantContext.random(), TenantContext.random())
        let (pidA, pidB, seenByB, seenByA) = try await database.withPoolAndStore(maxConnections: 1)
        { _, store in
            let pidA = try await store.withTenant(a) { repos in
                try await repos.testLedger.insert(organization: a.organizationID, memo: "a1")
                try await repos.testLedger.insert(organization: a.organizationID, memo: "a2")
                return try await repos.testLedger.backendPID()
            }
            let (pidB, seenByB) = try await store.withTenant(b) { repos in
                (try await repos.testLedger.backendPID(), try await repos.testLedger.memos())
            }
            let seenByA = try await store.withTenant(a) { repos in
                try await repos.testLedger.memos()
            }
            return (pidA, pidB, seenByB, seenByA)
        }
        #expect(pidA == pidB)
        #expect(seenByB.isEmpty)
        #expect(seenByA == ["a1", "a2"])
    }

    @Test("1,000 concurrent units of 10 tenants on 6 connections each see only their own rows")
    func concurrentMixedTenants() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let tenants = (0..<10).map { _ in UUID() }
        let units = 1_000
        let clock = ContinuousClock()
        let start = clock.now
        let (leaks, pids) = try await database.withPoolAndStore(maxConnections: 6) { _, store in
            try await withThrowingTaskGroup(of: (Int, Int32).self) { group in
                for unit in 0..<units {
                    let organization = tenants[unit % tenants.count]
                    group.addTask {
                        try await store.withTenant(.random(organization: organization)) { repos in
                            try await repos.testLedger.insert(
                                organization: organization, memo: "unit \(unit)")
                            let seen = try await repos.testLedger.organizations()
                            return (
                                seen.filter { $0 != organization }.count,
                                try await repos.testLedger.backendPID()
                            )
                        }
                    }
                }
                var leaks = 0
                var pids = Set<Int32>()
                for try await (leaked, pid) in group {
                    leaks += leaked
                    pids.insert(pid)
                }
                return (leaks, pids)
            }
        }
        let elapsed = start.duration(to: clock.now)
        let counts = try await TestLedger.counts(in: database)
        print(
            "RLS concurrency: \(units) units, \(tenants.count) tenants, \(pids.count) connections, \(leaks) leaked rows, \(elapsed)"
        )
        #expect(leaks == 0)
        #expect(pids.count > 1 && pids.count <= 6)
        #expect(counts.count == tenants.count)
        #expect(counts.values.allSatisfy { $0 == units / tenants.count })
    }

    @Test(
        "a connection killed between set_config and the query fails the unit, and the pool recovers"
    )
    func killBetweenContextAndQuery() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let context = TenantContext.random()
        try await database.withPoolAndStore(maxConnections: 1) { _, store in
            let error = await #expect(throws: PGError.self) {
                try await store.withTenant(context) { repos in
                    let pid = try await repos.testLedger.backendPID()
                    _ = try await database.withAdminConnection { admin in
                        try await admin.execute("SELECT pg_terminate_backend(\(pid), 5000)")
                    }
                    try await repos.testLedger.insert(
                        organization: context.organizationID, memo: "after the kill")
                }
            }
            // The server's FATAL 57P01 or the closed socket, whichever the client saw first.
            #expect(
                error?.kind == .connectionClosed || error?.sqlState == .adminShutdown,
                "\(String(describing: error))")
            let memos = try await store.withTenant(context) { repos in
                try await repos.testLedger.memos()
            }
            #expect(memos.isEmpty)
        }
        #expect(try await TestLedger.counts(in: database).isEmpty)
    }
}
