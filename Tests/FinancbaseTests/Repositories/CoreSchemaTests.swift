import Financbase
import PGClient
import Testing

@testable import Financbase

@Suite("Core schema")
struct CoreSchemaTests {
    static let tenantTables = [
        "organizations", "users", "user_preferences", "accounts", "payment_methods", "clients",
        "invoices", "invoice_lines", "projects", "time_entries", "tasks", "freelancers",
        "expenses", "payments", "transactions", "plugin_installations", "plugin_settings", "notifications",
        "activity_log", "analytics_events", "metric_snapshots", "report_definitions", "report_runs",
        "campaigns", "ad_groups", "ads", "marketing_metrics",
        "leads", "lead_activities", "lead_tasks",
        // Real estate (0012) and workflows (0013).
        "properties", "units", "renters", "leases", "rent_payments", "maintenance_requests",
        "workflow_definitions", "workflow_steps", "workflow_triggers", "workflow_runs", "workflow_step_runs",
    ]

    /// The tables without a tenant column, which the application may only read.
    static let globalTables = ["plugins"]

    /// The tenant tables the application may only add to and read (no UPDATE or DELETE policy).
    static let appendOnlyTables: Set<String> = ["activity_log"]

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
                WHERE n.nspname = 'financbase' AND c.relkind = 'r' AND \(unescaped: AuditCatalog.holdsTenantRows)
                ORDER BY c.relname
                """).collect()
        }
        let tables = try rows.map { try $0.decode((String, Bool, Int32, String, String).self) }
        #expect(Set(tables.map(\.0)) == Set(Self.tenantTables))
        for (name, forced, policies, others, owner) in tables {
            #expect(forced, "\(name) has row-level security forced")
            let expected: Int32 = Self.appendOnlyTables.contains(name) ? 2 : 4
            #expect(policies == expected, "\(name) has \(expected) tenant policies for financbase_app")
            #expect(others == Self.otherPolicies[name, default: ""], "\(name): \(others)")
            #expect(owner == "financbase_owner", "\(name) is owned by financbase_owner")
        }
    }

    @Test("global tables are readable by financbase_app and nothing more, and owned by financbase_owner")
    func globalTablesAreReadOnly() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let rows = try await database.withAdminConnection { connection in
            try await connection.query("""
                SELECT c.relname::text, pg_get_userbyid(c.relowner)::text,
                    has_table_privilege('financbase_app', c.oid, 'SELECT'),
                    has_table_privilege('financbase_app', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'),
                    (SELECT count(*) FROM financbase.plugins)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'financbase' AND c.relkind = 'r' AND NOT \(unescaped: AuditCatalog.holdsTenantRows)
                ORDER BY 1
                """).collect()
        }
        let tables = try rows.map { try $0.decode((String, String, Bool, Bool, Int64).self) }
        #expect(tables.map(\.0) == Self.globalTables)
        for (name, owner, reads, writes, catalogue) in tables {
            #expect(owner == "financbase_owner" && reads && !writes, "\(name)")
            #expect(catalogue > 0, "the catalogue ships with plugins")
        }
        let refused = try await database.withAppConnection { connection in
            await #expect(throws: PGError.self) {
                try await connection.execute("UPDATE financbase.plugins SET monthly_price = 0")
            }
            return try await connection.query("SELECT count(*) FROM financbase.plugins").collect()[0]
                .decode(Int64.self, at: 0)
        }
        #expect(refused == tables.first?.4, "financbase_app reads the whole catalogue without a context")
    }

    @Test("as financbase_app without a context every tenant table and view reads empty, though rows exist")
    func noContextSeesNothing() async throws {
        let database = try await SeededDatabase.shared.database
        let relations = try await database.withAdminConnection { connection in
            try await connection.query(
                """
                SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'financbase' AND c.relkind IN ('r', 'v') AND \(unescaped: AuditCatalog.holdsTenantRows)
                ORDER BY 1
                """
            ).collect().map { try $0.decode(String.self, at: 0) }
        }
        #expect(Set(Self.tenantTables).isSubset(of: relations))
        let (adminCounts, appCounts) = try await (
            database.withAdminConnection { connection in try await Self.counts(relations, on: connection) },
            database.withAppConnection { connection in try await Self.counts(relations, on: connection) }
        )
        #expect(adminCounts.filter { $0.value == 0 }.isEmpty, "the seed put rows in every relation")
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
