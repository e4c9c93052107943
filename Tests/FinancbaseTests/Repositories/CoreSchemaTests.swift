import Financbase
import PGClient
import Testing

@Suite("Core schema")
struct CoreSchemaTests {
    static let tenantTables = [
        "organizations", "users", "user_preferences", "accounts", "payment_methods", "clients",
        "invoices", "invoice_lines", "projects", "time_entries", "tasks", "freelancers",
        "expenses", "payments", "transactions",
    ]

    @Test("every core table exists with forced row-level security and four policies")
    func tablesAreTenantTables() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let rows = try await database.withAdminConnection { connection in
            try await connection.query("""
                SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity,
                       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)::int,
                       pg_get_userbyid(c.relowner)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'financbase' AND c.relkind = 'r'
                ORDER BY c.relname
                """).collect()
        }
        let tables = try rows.map { try $0.decode((String, Bool, Int32, String).self) }
        #expect(Set(tables.map(\.0)) == Set(Self.tenantTables))
        for (name, forced, policies, owner) in tables {
            #expect(forced, "\(name) has row-level security forced")
            #expect(policies == 4, "\(name) has four policies")
            #expect(owner == "financbase_owner", "\(name) is owned by financbase_owner")
        }
    }

    @Test("as financbase_app without a context every table and view reads empty, though rows exist")
    func noContextSeesNothing() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withAdminConnection { connection in
            _ = try await connection.simpleQuery(CoreSchemaTests.oneRowEverywhere)
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

    /// One row in every core table, inserted by the administrator (who bypasses row security).
    static let oneRowEverywhere = """
        INSERT INTO financbase.organizations (id, name) VALUES ('00000000-0000-0000-0000-00000000000a', 'Acme');
        INSERT INTO financbase.users (id, organization_id, clerk_id, email)
            VALUES ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-00000000000a', 'clerk_1', 'a@acme.test');
        INSERT INTO financbase.user_preferences (organization_id, user_id)
            VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1');
        INSERT INTO financbase.accounts (id, organization_id, user_id, name, account_type)
            VALUES ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', 'Checking', 'checking');
        INSERT INTO financbase.payment_methods (organization_id, user_id, account_id, method_type, name)
            VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000c1', 'card', 'Visa');
        INSERT INTO financbase.clients (id, organization_id, user_id, name, email)
            VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', 'Client', 'c@client.test');
        INSERT INTO financbase.invoices (id, organization_id, user_id, client_id, invoice_number, subtotal, total, due_date)
            VALUES ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000d1', 'INV-1', 10, 10, current_date + 30);
        INSERT INTO financbase.invoice_lines (organization_id, invoice_id, position, description, unit_price, amount)
            VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000e1', 0, 'Work', 10, 10);
        INSERT INTO financbase.projects (id, organization_id, user_id, name)
            VALUES ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', 'Project');
        INSERT INTO financbase.time_entries (organization_id, user_id, project_id, description, started_at)
            VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000f1', 'Coding', now());
        INSERT INTO financbase.tasks (organization_id, user_id, project_id, title)
            VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000f1', 'Task');
        INSERT INTO financbase.freelancers (organization_id, user_id, display_name, title)
            VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', 'Ada', 'Engineer');
        INSERT INTO financbase.expenses (organization_id, user_id, description, amount, expense_date, category)
            VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', 'Paper', 5, current_date, 'office');
        INSERT INTO financbase.payments (id, organization_id, user_id, invoice_id, method, amount, net_amount)
            VALUES ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000e1', 'cash', 1, 1);
        INSERT INTO financbase.transactions (organization_id, user_id, account_id, transaction_number, type, amount, payment_id)
            VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000c1', 'T-1', 'income', 1, '00000000-0000-0000-0000-0000000000a2');
        """
}
