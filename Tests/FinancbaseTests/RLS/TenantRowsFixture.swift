import Foundation
import PGClient

@testable import Financbase

/// An organization with one row in every tenant table, written by the administrator, so that
/// "the application sees no row" means row-level security hid rows that are there.
struct SeededTenant: Sendable {
    let context: TenantContext
    let clientID = UUID()
    let invoiceID = UUID()
    let transactionID = UUID()
    let accountID = UUID()
    let projectID = UUID()
    let expenseID = UUID()
    let paymentID = UUID()

    var organizationID: UUID { context.organizationID }
    var userID: UUID { context.userID }

    /// Two organizations, each with a row in every table, in a fresh database.
    static func two() async throws -> (FinancbaseTestDatabase, a: SeededTenant, b: SeededTenant) {
        let database = try await FinancbaseTestServer.freshDatabase()
        let (a, b) = (SeededTenant(context: .random()), SeededTenant(context: .random()))
        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                "BEGIN; \(a.insertions("a")) \(b.insertions("b")) COMMIT;")
        }
        return (database, a, b)
    }

    /// One row per table. The ids are UUIDs made here, so splicing them into the text is safe;
    /// a tenant table added by a later migration needs a line here (the no-context test says so).
    func insertions(_ tag: String) -> String {
        let (o, u) = (organizationID, userID)
        let paymentMethod = UUID()
        return """
            INSERT INTO financbase.organizations (id, name) VALUES ('\(o)', 'Organization \(tag)');
            INSERT INTO financbase.users (id, organization_id, clerk_id, email, first_name)
                VALUES ('\(u)', '\(o)', 'clerk_\(u)', 'owner@\(tag).test', '\(tag)');
            INSERT INTO financbase.user_preferences (organization_id, user_id) VALUES ('\(o)', '\(u)');
            INSERT INTO financbase.accounts (id, organization_id, user_id, name, account_type)
                VALUES ('\(accountID)', '\(o)', '\(u)', 'Operating \(tag)', 'checking');
            INSERT INTO financbase.payment_methods (id, organization_id, user_id, account_id, method_type, name)
                VALUES ('\(paymentMethod)', '\(o)', '\(u)', '\(accountID)', 'card', 'Card \(tag)');
            INSERT INTO financbase.clients (id, organization_id, user_id, name, email)
                VALUES ('\(clientID)', '\(o)', '\(u)', 'Client \(tag)', 'billing@\(tag).test');
            INSERT INTO financbase.invoices (id, organization_id, user_id, client_id, invoice_number, subtotal, total, due_date)
                VALUES ('\(invoiceID)', '\(o)', '\(u)', '\(clientID)', 'INV-\(tag)', 100, 100, current_date + 30);
            INSERT INTO financbase.invoice_lines (organization_id, invoice_id, position, description, unit_price, amount)
                VALUES ('\(o)', '\(invoiceID)', 0, 'Work \(tag)', 100, 100);
            INSERT INTO financbase.projects (id, organization_id, user_id, client_id, name)
                VALUES ('\(projectID)', '\(o)', '\(u)', '\(clientID)', 'Project \(tag)');
            INSERT INTO financbase.time_entries (organization_id, user_id, project_id, description, started_at)
                VALUES ('\(o)', '\(u)', '\(projectID)', 'Design \(tag)', now());
            INSERT INTO financbase.tasks (organization_id, user_id, project_id, title)
                VALUES ('\(o)', '\(u)', '\(projectID)', 'Task \(tag)');
            INSERT INTO financbase.freelancers (organization_id, user_id, display_name, title)
                VALUES ('\(o)', '\(u)', 'Freelancer \(tag)', 'Designer');
            INSERT INTO financbase.expenses (id, organization_id, user_id, description, amount, expense_date, category)
                VALUES ('\(expenseID)', '\(o)', '\(u)', 'Rent \(tag)', 50, current_date, 'rent');
            INSERT INTO financbase.payments (id, organization_id, user_id, invoice_id, payment_method_id, method, amount, net_amount)
                VALUES ('\(paymentID)', '\(o)', '\(u)', '\(invoiceID)', '\(paymentMethod)', 'card', 10, 10);
            INSERT INTO financbase.transactions
                (id, organization_id, user_id, account_id, transaction_number, type, amount, invoice_id, expense_id, payment_id)
                VALUES ('\(transactionID)', '\(o)', '\(u)', '\(accountID)', 'T-\(tag)', 'income', 10, '\(invoiceID)',
                        '\(expenseID)', '\(paymentID)');
            WITH installed AS (
                INSERT INTO financbase.plugin_installations (organization_id, plugin_id, user_id, installed_version)
                SELECT '\(o)', id, '\(u)', version FROM financbase.plugins WHERE slug = 'stripe-sync'
                RETURNING organization_id, id)
            INSERT INTO financbase.plugin_settings (organization_id, installation_id, key, value)
                SELECT organization_id, id, 'sync.interval_minutes', '15' FROM installed;
            INSERT INTO financbase.notifications (organization_id, user_id, title)
                VALUES ('\(o)', '\(u)', 'Welcome \(tag)');
            INSERT INTO financbase.activity_log (organization_id, user_id, action, entity_type, entity_id)
                VALUES ('\(o)', '\(u)', 'invoice.created', 'invoice', '\(invoiceID)');
            INSERT INTO financbase.analytics_events (organization_id, user_id, name)
                VALUES ('\(o)', '\(u)', 'dashboard.opened');
            INSERT INTO financbase.metric_snapshots (organization_id, day, metric, value)
                VALUES ('\(o)', current_date, 'revenue.daily', 10);
            WITH report AS (
                INSERT INTO financbase.report_definitions (organization_id, user_id, name, kind)
                VALUES ('\(o)', '\(u)', 'Cash flow \(tag)', 'cash_flow') RETURNING organization_id, id, user_id)
            INSERT INTO financbase.report_runs (organization_id, report_id, user_id)
                SELECT organization_id, id, user_id FROM report;
            \(marketingRows(tag))
            \(leadRows(tag))
            \(realEstateInsertions(tag))
            \(workflowInsertions(tag))
            """
    }
}

extension SeededTenant {
    /// One row in each real-estate table (0012): a property, its unit, a renter, a lease, a
    /// month of rent and a repair.
    func realEstateInsertions(_ tag: String) -> String {
        let (o, u) = (organizationID, userID)
        let (property, unit, renter, lease) = (UUID(), UUID(), UUID(), UUID())
        return """
            INSERT INTO financbase.properties (id, organization_id, name, address, city, country, kind, purchase_price, purchased_on)
                VALUES ('\(property)', '\(o)', 'Property \(tag)', '1 Main Street', 'Austin', 'US', 'residential', 500000, '2020-01-01');
            INSERT INTO financbase.units (id, organization_id, property_id, label, area_m2, market_rent)
                VALUES ('\(unit)', '\(o)', '\(property)', 'Apt \(tag)', 50, 1200);
            INSERT INTO financbase.renters (id, organization_id, name, email)
                VALUES ('\(renter)', '\(o)', 'Renter \(tag)', 'renter@\(tag).test');
            INSERT INTO financbase.leases (id, organization_id, unit_id, renter_id, starts_on, ends_on, monthly_rent, status)
                VALUES ('\(lease)', '\(o)', '\(unit)', '\(renter)', '2025-01-01', '2025-12-31', 1200, 'active');
            INSERT INTO financbase.rent_payments (organization_id, lease_id, period_month, amount_due)
                VALUES ('\(o)', '\(lease)', '2025-01-01', 1200);
            INSERT INTO financbase.maintenance_requests (organization_id, unit_id, reported_by, title)
                VALUES ('\(o)', '\(unit)', '\(u)', 'Leak \(tag)');
            """
    }

    /// One row in each workflow table (0013): a workflow, its step and trigger, a run and the
    /// run of the step.
    func workflowInsertions(_ tag: String) -> String {
        let o = organizationID
        let (definition, step, trigger, run) = (UUID(), UUID(), UUID(), UUID())
        return """
            INSERT INTO financbase.workflow_definitions (id, organization_id, name)
                VALUES ('\(definition)', '\(o)', 'Workflow \(tag)');
            INSERT INTO financbase.workflow_steps (id, organization_id, definition_id, position, name, kind, config)
                VALUES ('\(step)', '\(o)', '\(definition)', 0, 'Notify', 'email', '{"to": "ops"}');
            INSERT INTO financbase.workflow_triggers (id, organization_id, definition_id, kind)
                VALUES ('\(trigger)', '\(o)', '\(definition)', 'manual');
            INSERT INTO financbase.workflow_runs (id, organization_id, definition_id, trigger_id, status, started_at, finished_at)
                VALUES ('\(run)', '\(o)', '\(definition)', '\(trigger)', 'succeeded', now(), now());
            INSERT INTO financbase.workflow_step_runs (organization_id, run_id, step_id, status, started_at, finished_at)
                VALUES ('\(o)', '\(run)', '\(step)', 'succeeded', now(), now());
            """
    }
}

/// The relations that hold tenant rows (tables and views of the financbase schema), read from
/// the catalog with the audit's own rule, so a table or view added later is covered unasked.
enum TenantRelations {
    static func all(in database: FinancbaseTestDatabase) async throws -> [String] {
        try await database.withAdminConnection { connection in
            try await connection.query(
                """
                SELECT format('%I.%I', n.nspname, c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'financbase' AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND \(unescaped: AuditCatalog.holdsTenantRows)
                ORDER BY 1
                """
            ).collect().map { try $0.decode(String.self, at: 0) }
        }
    }

    /// The number of rows `connection` sees in each relation.
    static func counts(_ relations: [String], on connection: PGConnection) async throws -> [String:
        Int64]
    {
        var counts: [String: Int64] = [:]
        for relation in relations {
            // The names come from the catalog, already quoted by format('%I.%I').
            counts[relation] = try await connection.query(
                "SELECT count(*) FROM \(unescaped: relation)"
            ).collect()[0].decode(Int64.self, at: 0)
        }
        return counts
    }

    /// A fingerprint of every row of `tables`, as the administrator sees them: equal
    /// fingerprints mean nothing was added, removed or changed.
    static func fingerprints(_ tables: [String], in database: FinancbaseTestDatabase) async throws
        -> [String: String]
    {
        try await database.withAdminConnection { connection in
            var fingerprints: [String: String] = [:]
            for table in tables {
                fingerprints[table] = try await connection.query(
                    """
                    SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '')
                    FROM financbase.\(identifier: table) t
                    """
                ).collect()[0].decode(String.self, at: 0)
            }
            return fingerprints
        }
    }
}

extension PGConnection {
    /// Runs `body` in a transaction with `context` set as the store sets it, then rolls back
    /// (also when `body` throws).
    func asTenant<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ context: TenantContext, _ body: () async throws -> Result
    ) async throws -> Result {
        try await simpleQuery("BEGIN")
        do {
            try await execute(
                """
                SELECT set_config('app.current_org_id', \(context.organizationID.uuidString), true),
                       set_config('app.current_user_id', \(context.userID.uuidString), true)
                """)
            let result = try await body()
            try await simpleQuery("ROLLBACK")
            return result
        } catch {
            _ = try? await simpleQuery("ROLLBACK")
            throw error
        }
    }
}
