public import FoundationEssentials
public import PGWire
import PGClient

/// Saved reports, their runs, and the reports themselves: cash flow, profit and loss,
/// receivables aging (and, through their areas' repositories, campaign return, lead funnel and
/// rent roll).
public struct ReportRepository: Sendable {
    let session: TenantSession

    /// Saves a report by the context's user.
    ///
    /// - Throws: `PGError` `check_violation` for an empty name or parameters that are not a JSON
    ///   object; `insufficient_privilege` (42501) for a viewer.
    public func define(
        name: String, kind: ReportKind, parameters: PGJSON = PGJSON("{}"), schedule: ReportSchedule = .none
    ) async throws -> ReportDefinition {
        let context = session.context
        return try await session.record(
            ReportDefinition.self, "reports.define", entity: "report_definitions", id: context.organizationID,
            """
            INSERT INTO financbase.report_definitions (organization_id, user_id, name, kind, parameters, schedule)
            VALUES (\(context.organizationID), \(context.userID), \(name), \(kind), \(parameters), \(schedule))
            RETURNING \(columnsOf: ReportDefinition.self)
            """)
    }

    /// The saved report with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> ReportDefinition {
        try await session.fetch(ReportDefinition.self, "reports.get", id: id)
    }

    /// Saves the changeable fields of `report`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` also for a colleague's report a user
    ///   may not change.
    public func update(_ report: ReportDefinition) async throws -> ReportDefinition {
        try await session.record(
            ReportDefinition.self, "reports.update", entity: "report_definitions", id: report.id,
            """
            UPDATE financbase.report_definitions
            SET name = \(report.name), kind = \(report.kind), parameters = \(report.parameters),
                schedule = \(report.schedule), is_active = \(report.isActive)
            WHERE id = \(report.id)
            RETURNING \(columnsOf: ReportDefinition.self)
            """)
    }

    /// Deletes the saved report with `id` and its runs.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("reports.delete", table: "report_definitions", id: id)
    }

    /// A page of saved reports in the order they were made.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<ReportDefinition> {
        try await session.page(ReportDefinition.self, "reports.list", after: cursor, limit: limit)
    }

    /// The runs of the report `id`, newest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func runs(of id: UUID, limit: Int = 20) async throws -> [ReportRun] {
        try RepositoryError.checkLimit(limit)
        return try await session.records(
            ReportRun.self, "reports.runs",
            """
            SELECT \(columnsOf: ReportRun.self) FROM financbase.report_runs
            WHERE report_id = \(id) ORDER BY started_at DESC, id DESC LIMIT \(limit)
            """)
    }

    // MARK: - The reports

    /// The ledger's completed money in and out per month (UTC) and currency, for
    /// `from <= day < to`.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when `to` is not after `from`.
    public func cashFlow(from: PGDate, to: PGDate) async throws -> [CashFlowMonth] {
        try RepositoryError.checkPeriod(from: from, to: to)
        return try await session.records(CashFlowMonth.self, "reports.cashFlow", Self.cashFlowQuery(from: from, to: to))
    }

    /// The statement of ``cashFlow(from:to:)``, as sent; the plan tests explain it.
    static func cashFlowQuery(from: PGDate, to: PGDate) -> PGQuery {
        """
        SELECT date_trunc('month', transaction_date AT TIME ZONE 'UTC')::date AS month, currency,
               coalesce(sum(amount) FILTER (WHERE type IN ('income', 'payment', 'refund')), 0) AS inflow,
               coalesce(sum(amount) FILTER (WHERE type = 'expense'), 0) AS outflow,
               coalesce(sum(CASE WHEN type = 'expense' THEN -amount ELSE amount END)
                   FILTER (WHERE type IN ('income', 'payment', 'refund', 'expense')), 0) AS net
        FROM financbase.transactions
        WHERE status = 'completed'
          AND transaction_date >= (\(from)::date::timestamp AT TIME ZONE 'UTC')
          AND transaction_date < (\(to)::date::timestamp AT TIME ZONE 'UTC')
        GROUP BY 1, 2
        ORDER BY 1, 2
        """
    }

    /// The ledger's completed revenue (income, invoice payments) and expenses per category and
    /// currency, for `from <= day < to`: revenue first, then expenses, each by category.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when `to` is not after `from`.
    public func profitAndLoss(from: PGDate, to: PGDate) async throws -> [ProfitAndLossLine] {
        try RepositoryError.checkPeriod(from: from, to: to)
        return try await session.records(
            ProfitAndLossLine.self, "reports.profitAndLoss", Self.profitAndLossQuery(from: from, to: to))
    }

    /// The statement of ``profitAndLoss(from:to:)``, as sent; the plan tests explain it.
    static func profitAndLossQuery(from: PGDate, to: PGDate) -> PGQuery {
        """
        SELECT CASE WHEN type = 'expense' THEN 'expenses' ELSE 'revenue' END AS section,
               coalesce(category, 'uncategorized') AS category, currency, sum(amount) AS total
        FROM financbase.transactions
        WHERE status = 'completed' AND type IN ('income', 'payment', 'expense')
          AND transaction_date >= (\(from)::date::timestamp AT TIME ZONE 'UTC')
          AND transaction_date < (\(to)::date::timestamp AT TIME ZONE 'UTC')
        GROUP BY 1, 2, 3
        ORDER BY 1 DESC, 2, 3
        """
    }

    /// What each client owes on `asOf` per currency, by how far past due (draft and cancelled
    /// invoices owe nothing), clients by name.
    public func receivablesAging(asOf: PGDate) async throws -> [ReceivablesAging] {
        try await session.records(
            ReceivablesAging.self, "reports.receivablesAging", Self.receivablesAgingQuery(asOf: asOf))
    }

    /// The statement of ``receivablesAging(asOf:)``, as sent; the plan tests explain it.
    static func receivablesAgingQuery(asOf: PGDate) -> PGQuery {
        """
        SELECT b.client_id, c.name AS client_name, b.currency,
               coalesce(sum(b.outstanding) FILTER (WHERE b.bucket = 'current'), 0) AS current,
               coalesce(sum(b.outstanding) FILTER (WHERE b.bucket = '1-30'), 0) AS days1_to30,
               coalesce(sum(b.outstanding) FILTER (WHERE b.bucket = '31-60'), 0) AS days31_to60,
               coalesce(sum(b.outstanding) FILTER (WHERE b.bucket = '61-90'), 0) AS days61_to90,
               coalesce(sum(b.outstanding) FILTER (WHERE b.bucket = '90+'), 0) AS over90,
               sum(b.outstanding) AS total
        FROM (
            SELECT organization_id, client_id, currency, outstanding,
                   app.aging_bucket(status, due_date, \(asOf)) AS bucket
            FROM financbase.invoice_balances
            WHERE outstanding > 0 AND status NOT IN ('draft', 'cancelled')
        ) b
        JOIN financbase.clients c ON c.organization_id = b.organization_id AND c.id = b.client_id
        GROUP BY b.client_id, c.name, b.currency
        ORDER BY c.name, b.client_id, b.currency
        """
    }
}

extension TenantRepositories {
    /// Saved reports, their runs and the reports themselves.
    public var reports: ReportRepository { ReportRepository(session: session) }
}
