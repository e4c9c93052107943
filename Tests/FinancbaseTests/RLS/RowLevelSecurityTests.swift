import Foundation
import PGClient
import Testing

@testable import Financbase

@Suite("Row-level security")
struct RowLevelSecurityTests {
    /// Every tenant relation of `database`, each checked to hold rows of both seeded tenants.
    static func seededRelations(_ database: FinancbaseTestDatabase) async throws -> [String] {
        let relations = try await TenantRelations.all(in: database)
        // The catalog query must find the schema, and the fixture must fill what it finds.
        for known in [
            "financbase.organizations", "financbase.transactions", "financbase.transaction_feed",
            "financbase.invoice_balances",
        ] {
            #expect(relations.contains(known), "\(known) is not among \(relations)")
        }
        let seen = try await database.withAdminConnection {
            try await TenantRelations.counts(relations, on: $0)
        }
        for relation in relations {
            #expect(
                seen[relation, default: 0] >= 2,
                "\(relation) lacks a row per tenant: add it to SeededTenant.insertions")
        }
        return relations
    }

    @Test("without a context the application sees no row of any tenant table or view")
    func noContextNoRows() async throws {
        let (database, _, _) = try await SeededTenant.two()
        let relations = try await Self.seededRelations(database)
        let seen = try await database.withAppConnection {
            try await TenantRelations.counts(relations, on: $0)
        }
        for relation in relations {
            #expect(
                seen[relation] == 0,
                "\(relation) shows \(seen[relation] ?? -1) rows without a context")
        }
        print(
            "RLS no context: \(relations.count) tenant relations, \(seen.values.reduce(0, +)) rows seen"
        )
    }

    @Test(
        "an empty context after DISCARD ALL is no error and shows no row of any tenant table or view"
    )
    func emptyContextAfterDiscardAll() async throws {
        let (database, a, _) = try await SeededTenant.two()
        let relations = try await Self.seededRelations(database)
        try await database.withAppConnection { connection in
            try await connection.execute(
                """
                SELECT set_config('app.current_org_id', \(a.organizationID.uuidString), false),
                       set_config('app.current_user_id', \(a.userID.uuidString), false)
                """)
            let before = try await TenantRelations.counts(["financbase.clients"], on: connection)
            #expect(before["financbase.clients"] == 1)
            try await connection.simpleQuery("DISCARD ALL")
            let setting = try await connection.query(
                "SELECT current_setting('app.current_org_id', true)"
            ).collect()
            #expect(try setting[0].decode(String?.self, at: 0) == "")
            let seen = try await TenantRelations.counts(relations, on: connection)
            for relation in relations {
                #expect(
                    seen[relation] == 0,
                    "\(relation) shows \(seen[relation] ?? -1) rows with an empty context")
            }
        }
    }

    /// A table the write attacks aim at: an INSERT of a row owned by `owner`, with `id`.
    struct WriteTarget: Sendable {
        var table: String
        var id: @Sendable (SeededTenant) -> UUID
        var insert: @Sendable (_ owner: SeededTenant, _ id: UUID, _ suffix: String) -> PGQuery

        static let all: [WriteTarget] = [
            WriteTarget(table: "clients", id: \.clientID) { owner, id, suffix in
                """
                INSERT INTO financbase.clients (id, organization_id, user_id, name, email)
                VALUES (\(id), \(owner.organizationID), \(owner.userID), 'forged', 'forged@example.test')
                \(unescaped: suffix)
                """
            },
            WriteTarget(table: "invoices", id: \.invoiceID) { owner, id, suffix in
                """
                INSERT INTO financbase.invoices
                    (id, organization_id, user_id, client_id, invoice_number, subtotal, total, due_date)
                VALUES (\(id), \(owner.organizationID), \(owner.userID), \(owner.clientID), 'FORGED', 1, 1, current_date)
                \(unescaped: suffix)
                """
            },
            WriteTarget(table: "transactions", id: \.transactionID) { owner, id, suffix in
                """
                INSERT INTO financbase.transactions (id, organization_id, user_id, transaction_number, type, amount)
                VALUES (\(id), \(owner.organizationID), \(owner.userID), 'FORGED', 'income', 1)
                \(unescaped: suffix)
                """
            },
        ]

        /// The writes tenant `a` must not make: each names an organization or a row of `b`.
        func attacks(a: SeededTenant, b: SeededTenant) -> [(String, PGQuery)] {
            let upsert = "ON CONFLICT (id) DO UPDATE SET notes = 'forged'"
            return [
                ("insert into b", insert(b, UUID(), "")),
                (
                    "move a's row to b",
                    "UPDATE financbase.\(identifier: table) SET organization_id = \(b.organizationID) WHERE id = \(id(a))"
                ),
                ("upsert into b", insert(b, UUID(), upsert)),
                ("upsert over b's row", insert(a, id(b), upsert)),
            ]
        }
    }

    @Test(
        "cross-tenant INSERT, UPDATE and upserts into clients, invoices, transactions fail with 42501 and change nothing"
    )
    func crossTenantWritesAreRefused() async throws {
        let (database, a, b) = try await SeededTenant.two()
        let tables = WriteTarget.all.map(\.table)
        let before = try await TenantRelations.fingerprints(tables, in: database)
        var refused = 0
        try await database.withAppConnection { connection in
            for target in WriteTarget.all {
                for (name, attack) in target.attacks(a: a, b: b) {
                    let error = await #expect(throws: PGError.self, "\(target.table): \(name)") {
                        try await connection.asTenant(a.context) {
                            try await connection.execute(attack)
                        }
                    }
                    #expect(
                        error?.sqlState == .insufficientPrivilege,
                        "\(target.table): \(name): \(String(describing: error))")
                    refused += error?.sqlState == .insufficientPrivilege ? 1 : 0
                }
                // An UPDATE or DELETE aimed at the other tenant's rows finds nothing to touch.
                let touched = try await connection.asTenant(a.context) {
                    let table = target.table
                    return (
                        try await connection.execute(
                            "UPDATE financbase.\(identifier: table) SET notes = 'x' WHERE id = \(target.id(b))"
                        ).rowCount,
                        try await connection.execute(
                            "DELETE FROM financbase.\(identifier: table) WHERE organization_id = \(b.organizationID)"
                        ).rowCount
                    )
                }
                #expect(touched.0 == 0 && touched.1 == 0, "\(target.table): \(touched)")
            }
        }
        #expect(try await TenantRelations.fingerprints(tables, in: database) == before)
        print(
            "RLS cross-tenant writes: \(refused) of \(tables.count * 4) refused with 42501, tables unchanged"
        )
    }

    @Test("one pooled connection, tenant A then tenant B: B sees nothing of A")
    func oneConnectionTwoTenants() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withPoolAndStore(maxConnections: 1) { _, store in
            let (a, b) = (
                try await TenantFixture.make(in: store, name: "A"),
                try await TenantFixture.make(in: store, name: "B")
            )
            let pidA = try await store.withTenant(a.context) { repos in
                for number in ["A-1", "A-2"] {
                    _ = try await repos.transactions.create(
                        transactionNumber: number, type: .income, amount: try numeric("1.00"))
                }
                return try await repos.probe.backendPID()
            }
            let (pidB, transactions, clients, feed) = try await store.withTenant(b.context) {
                repos in
                (
                    try await repos.probe.backendPID(),
                    try await repos.transactions.list(limit: 100).rows,
                    try await repos.clients.list(limit: 100).rows,
                    try await repos.transactions.recent(limit: 100)
                )
            }
            let lookup = await #expect(throws: RepositoryError.self) {
                try await store.withTenant(b.context) { repos in
                    try await repos.clients.get(a.clientID)
                }
            }
            let seenByA = try await store.withTenant(a.context) { repos in
                try await repos.transactions.list(limit: 100).rows.map(\.transactionNumber)
            }
            #expect(pidA == pidB)
            #expect(transactions.isEmpty && feed.isEmpty)
            #expect(clients.map(\.id) == [b.clientID])
            #expect(lookup == .notFound(entity: "clients", id: a.clientID))
            // Made in one transaction, the two share created_at: the page's order between them is the ids'.
            #expect(Set(seenByA) == ["A-1", "A-2"] && seenByA.count == 2)
        }
    }

    @Test(
        "1,000 concurrent units of 10 tenants on 6 connections, through the repositories, each see only their own rows"
    )
    func concurrentMixedTenants() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let units = 1_000
        let clock = ContinuousClock()
        let (tenants, leaks, pids, elapsed) = try await database.withPoolAndStore(maxConnections: 6)
        { _, store in
            var tenants: [TenantFixture] = []
            for index in 0..<10 {
                tenants.append(try await TenantFixture.make(in: store, name: "Tenant\(index)"))
            }
            let start = clock.now
            let (leaks, pids) = try await withThrowingTaskGroup(of: (Int, Int32).self) { group in
                for unit in 0..<units {
                    let tenant = tenants[unit % tenants.count]
                    group.addTask {
                        try await store.withTenant(tenant.context) { repos in
                            let organization = tenant.context.organizationID
                            let created = try await repos.transactions.create(
                                transactionNumber: "U-\(unit)", type: .income,
                                amount: try numeric("1.00"))
                            // Every row the unit can see, by owner: decoding whole records would
                            // make this test one of reading 50,000 rows.
                            var seen = try await repos.probe.organizationIDs(of: "transactions")
                            seen += try await repos.probe.organizationIDs(of: "clients")
                            #expect(
                                seen.contains(organization)
                                    && created.organizationID == organization)
                            return (
                                seen.filter { $0 != organization }.count,
                                try await repos.probe.backendPID()
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
            return (tenants, leaks, pids, start.duration(to: clock.now))
        }
        let counts = try await database.withAdminConnection { connection in
            try await connection.query(
                "SELECT organization_id, count(*) FROM financbase.transactions GROUP BY 1"
            ).collect().map { try $0.decode((UUID, Int64).self) }
        }
        print(
            "RLS concurrency: \(units) units, \(tenants.count) tenants, \(pids.count) connections, \(leaks) leaked rows, \(elapsed)"
        )
        #expect(leaks == 0)
        #expect(pids.count > 1 && pids.count <= 6)
        #expect(Set(counts.map(\.0)) == Set(tenants.map(\.context.organizationID)))
        #expect(counts.allSatisfy { $0.1 == Int64(units / tenants.count) })
    }

    @Test(
        "a connection killed between set_config and the query fails the unit, and the pool recovers"
    )
    func killBetweenContextAndQuery() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withPoolAndStore(maxConnections: 1) { _, store in
            let tenant = try await TenantFixture.make(in: store)
            let error = await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    let pid = try await repos.probe.backendPID()
                    _ = try await database.withAdminConnection { admin in
                        try await admin.execute("SELECT pg_terminate_backend(\(pid), 5000)")
                    }
                    _ = try await repos.transactions.create(
                        transactionNumber: "after the kill", type: .income,
                        amount: try numeric("1.00"))
                }
            }
            // The server's FATAL 57P01 or the closed socket, whichever the client saw first.
            #expect(
                error?.kind == .connectionClosed || error?.sqlState == .adminShutdown,
                "\(String(describing: error))")
            let seen = try await store.withTenant(tenant.context) { repos in
                try await repos.transactions.list(limit: 10).rows
            }
            #expect(seen.isEmpty)
        }
        let stored = try await database.withAdminConnection { connection in
            try await connection.query("SELECT count(*) FROM financbase.transactions").collect()[0]
                .decode(Int64.self, at: 0)
        }
        #expect(stored == 0)
    }
}
