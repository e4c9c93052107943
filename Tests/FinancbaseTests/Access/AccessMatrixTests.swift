import Foundation
import PGClient
import Testing

@testable import Financbase

@Suite("Access rules: the role × command × table matrix")
struct AccessMatrixTests {
    /// What each tenant table declares (Financbase.docc/DataLayer.md, "Access rules" and each area's
    /// section); a table the catalog adds later is held to its own declaration.
    static let declared: [String: (scope: String, writers: String)] = [
        "financbase.organizations": ("self", "admin"),
        "financbase.users": ("organization", "admin"),
        "financbase.user_preferences": ("user", "owner"),
        "financbase.accounts": ("organization", "member"),
        "financbase.payment_methods": ("organization", "member"),
        "financbase.clients": ("organization", "member"),
        "financbase.invoices": ("organization", "member"),
        "financbase.invoice_lines": ("organization", "parent"),
        "financbase.projects": ("organization", "member"),
        "financbase.tasks": ("organization", "member"),
        "financbase.time_entries": ("organization", "owner"),
        "financbase.freelancers": ("organization", "admin"),
        "financbase.expenses": ("organization", "owner"),
        "financbase.payments": ("organization", "member"),
        "financbase.transactions": ("organization", "member"),
        "financbase.plugin_installations": ("organization", "admin"),
        "financbase.plugin_settings": ("organization", "parent"),
        "financbase.notifications": ("user", "owner"),
        "financbase.activity_log": ("organization", "author"),
        "financbase.analytics_events": ("organization", "member"),
        "financbase.metric_snapshots": ("organization", "member"),
        "financbase.report_definitions": ("organization", "owner"),
        "financbase.report_runs": ("organization", "member"),
        // Marketing (0010) and leads (0011): DataLayer.md, "Area: Marketing", "Area: Leads".
        "financbase.campaigns": ("organization", "member"),
        "financbase.ad_groups": ("organization", "parent"),
        "financbase.ads": ("organization", "parent"),
        "financbase.marketing_metrics": ("organization", "admin"),
        "financbase.leads": ("organization", "owner"),
        "financbase.lead_activities": ("organization", "owner"),
        "financbase.lead_tasks": ("organization", "owner"),
        // Real estate (0012).
        "financbase.properties": ("organization", "admin"),
        "financbase.units": ("organization", "member"),
        "financbase.renters": ("organization", "member"),
        "financbase.leases": ("organization", "member"),
        "financbase.rent_payments": ("organization", "member"),
        "financbase.maintenance_requests": ("organization", "member"),
        // Workflows (0013).
        "financbase.workflow_definitions": ("organization", "admin"),
        "financbase.workflow_steps": ("organization", "parent"),
        "financbase.workflow_triggers": ("organization", "parent"),
        "financbase.workflow_runs": ("organization", "member"),
        "financbase.workflow_step_runs": ("organization", "parent"),
    ]

    /// Only these tables let a contractor read (its own rows) or write (its own time entries).
    static let contractorReads: Set<String> = [
        "financbase.users", "financbase.user_preferences", "financbase.projects", "financbase.tasks",
        "financbase.time_entries", "financbase.freelancers",
    ]
    static let contractorWrites: Set<String> = ["financbase.time_entries"]

    /// Two tables made the way later migrations make theirs, with rows: `expense_notes` through
    /// the new `make_tenant_table` (its writers are its expense's, whose owner writes it) and
    /// `test_ledger` through the old signature (organization-scoped: members). Every person also
    /// gets an expense, so each has notes of its own.
    static func addGeneratedTables(_ seeded: SeededDatabase.Seeded) async throws {
        try await TestLedger.create(in: seeded.database)
        let organizations = seeded.organizations.map(\.admin.organizationID.uuidString)
        _ = try await seeded.database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                BEGIN;
                SET LOCAL ROLE financbase_owner;
                CREATE TABLE financbase.expense_notes (
                    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                    organization_id uuid NOT NULL,
                    expense_id uuid NOT NULL,
                    body text NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (organization_id, id),
                    FOREIGN KEY (organization_id, expense_id)
                        REFERENCES financbase.expenses (organization_id, id) ON DELETE CASCADE
                );
                SELECT app.make_tenant_table('financbase.expense_notes', 'organization', 'parent',
                    'financbase.expenses', 'expense_id');
                RESET ROLE;
                INSERT INTO financbase.expenses (organization_id, user_id, description, amount, expense_date, category)
                    SELECT organization_id, id, 'Matrix expense', 1, current_date, 'office' FROM financbase.users;
                INSERT INTO financbase.expense_notes (organization_id, expense_id, body)
                    SELECT organization_id, id, 'Receipt attached' FROM financbase.expenses;
                INSERT INTO financbase.test_ledger (organization_id, memo)
                    SELECT id, 'Opening' FROM financbase.organizations
                    WHERE id IN ('\(organizations.joined(separator: "', '"))');
                COMMIT;
                """)
        }
    }

    @Test(
        "admin, user, viewer, contractor, inactive and no context × SELECT/INSERT/UPDATE/DELETE × every tenant table (core and generated): 0 unexpected outcomes"
    )
    func matrix() async throws {
        let seeded = try await SeededDatabase.seed()
        // The first organization acts; the second's rows are the "theirs" of `organizations`.
        let organization = seeded.organizations[0]
        try await Self.addGeneratedTables(seeded)
        let (tables, rules, parents) = try await seeded.database.withAdminConnection { connection in
            let tables = try await AccessMatrix.tenantTables(on: connection)
            let (rules, parents) = try await AccessMatrix.declarations(on: connection)
            return (tables, rules, parents)
        }
        for table in tables {
            #expect(rules[table] != nil, "\(table) is a tenant table without a declared write rule")
        }
        for (table, declared) in Self.declared {
            let rule = rules[table]
            #expect(rule?.scope == declared.scope && rule?.writers == declared.writers, "\(table): \(String(describing: rule))")
            #expect(rule?.contractorReads == Self.contractorReads.contains(table), "\(table)")
            #expect(rule?.contractorWrites == Self.contractorWrites.contains(table), "\(table)")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await AccessMatrixSweep(
            database: seeded.database, organization: organization.admin.organizationID,
            people: organization.people, rules: rules, parentColumns: parents
        ).run(tables)
        let elapsed = start.duration(to: clock.now)
        #expect(result.wrong.isEmpty, "\(result.wrong.count) cells:\n\(result.wrong.joined(separator: "\n"))")
        #expect(tables.count >= 17)
        #expect(result.cells == tables.count * 6 * 4 * 2)
        print("Access matrix: \(tables.count) tables × 6 actors × 4 commands × 2 targets = \(result.summary), \(elapsed)")
    }
}
