import Financbase
import PGClient
import Testing

@Suite("Core schema")
struct CoreSchemaTests {
    static let tenantTables = [
        "organizations", "users", "user_preferences", "accounts", "payment_methods", "clients",
        "invoices", "invoice_lines", "projects", "time_entries", "tasks", "freelancers",
        "expenses", "payments", "transactions",
        "campaigns", "ad_groups", "ads", "marketing_metrics",
        "leads", "lead_activities", "lead_tasks",
    ]

    /// The policies beyond the four tenant ones: provisioning (0009) and the lookups' read (0008).
    static let otherPolicies: [String: String] = [
        "organizations": "founder_insert founder_select",
        "users": "founder_insert founder_select lookup_read",
        "freelancers": "lookup_read",
    ]

    @Test("every core table exists with forced row-level security and four tenant policies for financbase_app")
    func tablesAreTenantTables() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let rows = try await database.withAdminConnection { connection in
            try await connection.query("""
                SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname LIKE 'tenant\\_%'
                           AND p.polroles = ARRAY['financbase_app'::regrole]::oid[])::int,
                       (SELECT coalesce(string_agg(p.polname, ' ' ORDER BY p.polname), '') FROM pg_policy p
                           WHERE p.polrelid = c.oid AND p.polname NOT LIKE 'tenant\\_%'),
                       pg_get_userbyid(c.relowner)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'financbase' AND c.relkind = 'r'
                ORDER BY c.relname
                """).collect()
        }
        let tables = try rows.map { try $0.decode((String, Bool, Int32, String, String).self) }
        #expect(Set(tables.map(\.0)) == Set(Self.tenantTables))
        for (name, forced, policies, others, owner) in tables {
            #expect(forced, "\(name) has row-level security forced")
            #expect(policies == 4, "\(name) has four tenant policies for financbase_app")
            #expect(others == Self.otherPolicies[name, default: ""], "\(name): \(others)")
            #expect(owner == "financbase_owner", "\(name) is owned by financbase_owner")
        }
    }

    @Test("as financbase_app without a context every table and view reads empty, though rows exist")
    func noContextSeesNothing() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withAdminConnection { connection in
            _ = try await connection.simpleQuery(
                "BEGIN; \(SeededTenant(context: .random()).insertions("a")) COMMIT;")
        }
        let relations = Self.tenantTables + ["transaction_feed", "invoice_balances"]
        let (adminCounts, appCounts) = try await (
            database.withAdminConnection { connection in try await Self.counts(relations, on: connection) },
            database.withAppConnection { connection in try await Self.counts(relations, on: connection) }
        )
        #expect(adminCounts.values.allSatisfy { $0 > 0 }, "the fixture put rows in every relation")
        #expect(appCounts.values.allSatisfy { $0 == 0 }, "\(appCounts)")
    }

    @Test("the views are security_invoker")
    func viewsAreSecurityInvoker() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let rows = try await database.withAdminConnection { connection in
            try await connection.query("""
                SELECT c.relname, coalesce('security_invoker=true' = ANY (c.reloptions), false)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'financbase' AND c.relkind = 'v'
                """).collect()
        }
        #expect(rows.count == 2)
        for row in rows {
            let (name, invoker) = try row.decode((String, Bool).self)
            #expect(invoker, "\(name)")
        }
    }

    private static func counts(_ relations: [String], on connection: PGConnection) async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for relation in relations {
            let rows = try await connection.query("SELECT count(*) FROM financbase.\(identifier: relation)").collect()
            counts[relation] = try rows[0].decode(Int64.self, at: 0)
        }
        return counts
    }
}
