import Financbase
import Foundation
import PGClient

/// The generated database of the plan tests: 20 organizations over two years (2024 and 2025)
/// and, per area, its largest table at ``largestTableRows`` (a million with
/// `FINANCBASE_PLAN_ROWS=1000000`, as `Scripts/plans.sh` runs it; fewer in the everyday suite)
/// and the rest in proportion, made by the administrator with one INSERT … SELECT per table.
/// The core area: transactions (the largest), a tenth as many invoices and expenses. Each other
/// area adds a ``PlanArea`` of its own (`<Area>PlanArea.swift`) to ``areas``.
///
/// Every key is computed from the row's number, so children find their parents without joins:
/// organization `i` is `md5('org-i')`, its users `md5('user-i-j')` (5), accounts
/// `md5('account-i-k')` (3), clients `md5('client-i-c')` (50). Row `g` belongs to organization
/// `g % 20`; its other attributes vary with `n = g / 20`, so that no organization is stuck with
/// one type or status. Dates grow with `g`, as a ledger's do, and the organizations' rows are
/// interleaved on every page, as they are when tenants write at the same time.
enum DashboardDataset {
    static let organizations = 20
    /// The rows of each area's largest table: `FINANCBASE_PLAN_ROWS`, else 200,000.
    static let largestTableRows: Int = {
        let setting = ProcessInfo.processInfo.environment["FINANCBASE_PLAN_ROWS"].flatMap { Int($0) }
        return max(setting ?? 200_000, 20_000)
    }()
    static let transactions = largestTableRows
    static let invoices = largestTableRows / 10
    static let expenses = largestTableRows / 10

    /// Every area of the generated database, the core first.
    static let areas: [PlanArea] = [
        core, MarketingPlanArea.area, LeadsPlanArea.area, workspace, reports,
        RealEstatePlanArea.area, WorkflowsPlanArea.area,
    ]

    /// The core tables' part: transactions, invoices and expenses, and their dashboard queries.
    static let core = PlanArea(
        name: "core", bigTables: ["transactions", "invoices", "expenses"], sql: sql,
        orphans: """
            SELECT (SELECT count(*) FROM financbase.transactions t WHERE NOT EXISTS
                       (SELECT FROM financbase.users u WHERE u.organization_id = t.organization_id AND u.id = t.user_id))
                 + (SELECT count(*) FROM financbase.transactions t WHERE t.account_id IS NOT NULL AND NOT EXISTS
                       (SELECT FROM financbase.accounts a WHERE a.organization_id = t.organization_id AND a.id = t.account_id))
                 + (SELECT count(*) FROM financbase.invoices i WHERE NOT EXISTS
                       (SELECT FROM financbase.clients c WHERE c.organization_id = i.organization_id AND c.id = i.client_id))
                 + (SELECT count(*) FROM financbase.expenses e WHERE NOT EXISTS
                       (SELECT FROM financbase.users u WHERE u.organization_id = e.organization_id AND u.id = e.user_id))
            """,
        queries: DashboardPlanTests.coreQueries)

    /// The context of organization `index` and its first user.
    static func tenant(_ index: Int, in database: FinancbaseTestDatabase) async throws
        -> TenantContext
    {
        try await database.withAdminConnection { connection in
            let (organization, user) = try await connection.query(
                "SELECT md5('org-' || \(index))::uuid, md5('user-' || \(index) || '-0')::uuid"
            ).collect()[0].decode((UUID, UUID).self)
            return TenantContext(userID: user, organizationID: organization)
        }
    }

    /// Fills `database` and analyzes it; returns how long that took.
    static func generate(in database: FinancbaseTestDatabase) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try await database.withAdminConnection { connection in
            // Foreign keys are checked by the triggers of the tables, a third of the load time;
            // the keys above are consistent by construction (and checked below), so a superuser
            // loads without them. Another administrator loads with them, only slower.
            let superuser = try await connection.query(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).collect()[0].decode(Bool.self, at: 0)
            try await connection.simpleQuery(
                """
                SET synchronous_commit = off;
                \(superuser ? "SET session_replication_role = replica;" : "")
                \(areas.map(\.sql).joined(separator: "\n"))
                """)
            // Apart: VACUUM cannot run in the transaction a multi-statement query makes. It sets
            // the visibility map as autovacuum would, so index-only scans are planned as in use.
            try await connection.simpleQuery("VACUUM ANALYZE")
            var orphans: Int64 = 0
            for area in areas {
                orphans += try await connection.query(PGQuery(unsafeSQL: area.orphans)).collect()[0]
                    .decode(Int64.self, at: 0)
            }
            guard orphans == 0 else { throw DatasetError.orphans(orphans) }
        }
        return start.duration(to: clock.now)
    }

    enum DatasetError: Error {
        case orphans(Int64)
    }

    // A row's id is made from its number, so the primary key and the (organization_id, id)
    // indexes grow at their right edge; random ids would double the load time.
    private static let sql = """
        INSERT INTO financbase.organizations (id, name, slug)
        SELECT md5('org-' || i)::uuid, 'Organization ' || i, 'org-' || i FROM generate_series(0, \(organizations - 1)) AS i;
        INSERT INTO financbase.users (id, organization_id, clerk_id, email, first_name, last_name)
        SELECT md5('user-' || i || '-' || j)::uuid, md5('org-' || i)::uuid, 'clerk-' || i || '-' || j,
               'user' || j || '@org' || i || '.test', 'User', j::text
        FROM generate_series(0, \(organizations - 1)) AS i, generate_series(0, 4) AS j;
        INSERT INTO financbase.accounts (id, organization_id, user_id, name, account_type)
        SELECT md5('account-' || i || '-' || k)::uuid, md5('org-' || i)::uuid, md5('user-' || i || '-0')::uuid,
               'Account ' || k, 'checking'
        FROM generate_series(0, \(organizations - 1)) AS i, generate_series(0, 2) AS k;
        INSERT INTO financbase.clients (id, organization_id, user_id, name, email)
        SELECT md5('client-' || i || '-' || c)::uuid, md5('org-' || i)::uuid, md5('user-' || i || '-0')::uuid,
               'Client ' || c, 'client' || c || '@org' || i || '.test'
        FROM generate_series(0, \(organizations - 1)) AS i, generate_series(0, 49) AS c;
        INSERT INTO financbase.transactions
            (id, organization_id, user_id, account_id, transaction_number, type, amount, category, status,
             transaction_date)
        SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
               md5('user-' || g % 20 || '-' || n % 5)::uuid,
               CASE WHEN n % 4 < 3 THEN md5('account-' || g % 20 || '-' || n % 4)::uuid END,
               'T-' || lpad(g::text, 7, '0'), (ARRAY['income', 'expense', 'transfer', 'payment', 'refund'])[n % 5 + 1],
               (g % 100000) / 100.0, (ARRAY['sales', 'rent', 'payroll', 'software', 'travel', 'other'])[n / 5 % 6 + 1],
               CASE WHEN n % 50 = 7 THEN 'pending' ELSE 'completed' END,
               timestamptz '2024-01-01 00:00:00+00' + g * interval '63072 seconds' / \(transactions / 1_000)
        FROM generate_series(0, \(transactions - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        INSERT INTO financbase.invoices
            (id, organization_id, user_id, client_id, invoice_number, subtotal, total, amount_paid, status,
             issue_date, due_date)
        SELECT ('00000000-0000-4000-8001-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
               md5('user-' || g % 20 || '-' || n % 5)::uuid, md5('client-' || g % 20 || '-' || n % 50)::uuid,
               'INV-' || lpad(g::text, 6, '0'), (g % 5000) + 0.5, (g % 5000) + 0.5,
               CASE WHEN n % 7 = 0 THEN (g % 5000) + 0.5 ELSE 0 END,
               CASE WHEN n % 7 = 0 THEN 'paid'
                    ELSE (ARRAY['draft', 'sent', 'viewed', 'overdue', 'cancelled', 'sent'])[n % 6 + 1] END,
               date '2024-01-01' + g * 730 / \(invoices), date '2024-01-01' + g * 730 / \(invoices) + 30
        FROM generate_series(0, \(invoices - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        INSERT INTO financbase.expenses
            (id, organization_id, user_id, description, amount, expense_date, category, status)
        SELECT ('00000000-0000-4000-8002-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
               md5('user-' || g % 20 || '-' || n % 5)::uuid, 'Expense ' || g, (g % 2000) + 0.25,
               date '2024-01-01' + g * 730 / \(expenses),
               (ARRAY['rent', 'software', 'travel', 'meals', 'equipment', 'marketing', 'payroll', 'other'])[n % 8 + 1],
               (ARRAY['pending', 'approved', 'approved', 'rejected'])[n / 8 % 4 + 1]
        FROM generate_series(0, \(expenses - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        """
}
