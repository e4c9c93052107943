import Foundation
import PGClient
import PGWire
import Testing

@testable import Financbase

/// The dashboard's queries on the generated database (a million rows in each area's largest
/// table with `Scripts/plans.sh`): each one, exactly as its repository sends it, reaches the big
/// tables only through a tenant index, and answers in milliseconds.
@Suite("Dashboard plans on generated data")
struct DashboardPlanTests {
    /// The tables big enough that a sequential scan would read every tenant's rows.
    static let bigTables = DashboardDataset.areas.reduce(into: Set<String>()) { $0.formUnion($1.bigTables) }

    /// A dashboard query: the statement its repository sends, the table it must reach through a
    /// tenant index, and the repository call itself (returning how many rows it summarized).
    struct DashboardQuery: Sendable {
        var name: String
        var table: String
        var query: PGQuery
        var run: @Sendable (TenantRepositories) async throws -> Int64
    }

    /// Every area's dashboard queries, the core's first.
    static func dashboardQueries() throws -> [DashboardQuery] {
        try DashboardDataset.areas.flatMap { try $0.queries() }
    }

    /// The core's: the ledger, invoices and expenses.
    static func coreQueries() throws -> [DashboardQuery] {
        // The dataset ends on 2025-12-31: the last month and the last twelve months of it.
        let december = Date(timeIntervalSince1970: 1_764_547_200)
        let year = Date(timeIntervalSince1970: 1_735_689_600)
        let end = Date(timeIntervalSince1970: 1_767_225_600)
        let (yearDay, endDay, asOf) = (
            try date(2025, 1, 1), try date(2026, 1, 1), try date(2025, 12, 31)
        )
        return [
            DashboardQuery(
                name: "transactions.recent(limit: 20)", table: "transactions",
                query: TransactionRepository.recentQuery(limit: 20),
                run: { Int64(try await $0.transactions.recent(limit: 20).count) }),
            DashboardQuery(
                name: "transactions.totals(last month)", table: "transactions",
                query: TransactionRepository.totalsQuery(from: december, to: end),
                run: {
                    try await $0.transactions.totals(from: december, to: end).map(\.count).reduce(
                        0, +)
                }),
            DashboardQuery(
                name: "transactions.totals(last 12 months)", table: "transactions",
                query: TransactionRepository.totalsQuery(from: year, to: end),
                run: {
                    try await $0.transactions.totals(from: year, to: end).map(\.count).reduce(0, +)
                }),
            DashboardQuery(
                name: "invoices.byStatusWithAging", table: "invoices",
                query: InvoiceRepository.agingQuery(asOf: asOf),
                run: {
                    try await $0.invoices.byStatusWithAging(asOf: asOf).map(\.count).reduce(0, +)
                }),
            DashboardQuery(
                name: "expenses.byCategoryPerMonth(12 months)", table: "expenses",
                query: ExpenseRepository.byCategoryPerMonthQuery(from: yearDay, to: endDay),
                run: {
                    try await $0.expenses.byCategoryPerMonth(from: yearDay, to: endDay).map(\.count)
                        .reduce(0, +)
                }),
        ]
    }

    /// Each index of the schema's tables: its table, its first key column (none for an
    /// expression), and whether it is unique.
    static func indexes(in database: FinancbaseTestDatabase) async throws -> [String: IndexFacts] {
        try await database.withAdminConnection { connection in
            var indexes: [String: IndexFacts] = [:]
            for row in try await connection.query(
                """
                SELECT ic.relname::text, tc.relname::text, a.attname::text, i.indisunique
                FROM pg_index i
                JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_class tc ON tc.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = tc.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE n.nspname = 'financbase'
                """
            ).collect() {
                let (index, table, leading, unique) = try row.decode((String, String, String?, Bool).self)
                indexes[index] = IndexFacts(table: table, leading: leading, unique: unique)
            }
            return indexes
        }
    }

    /// What the plan checks need to know of an index.
    struct IndexFacts {
        var table: String
        var leading: String?
        var unique: Bool
    }

    /// The tenant indexes `plan` uses on the big tables, and what is wrong with it: a sequential
    /// scan of a big table, an index of a big table not led by organization_id or user_id, or
    /// `table` not reached through a tenant index at all.
    ///
    /// A unique index of another table looked up by equality (a lead by its id, for each
    /// follow-up found through the tenant's index) is no scan: it reads at most one row for each
    /// row already found. The planner picks it or the tenant's unique index on the same key as
    /// their estimates fall, which moves with what ANALYZE sampled; either is sound.
    static func check(
        _ plan: QueryPlan, reaching table: String, indexes: [String: IndexFacts]
    ) -> (tenantIndexes: [String], problems: [String]) {
        let nodes = plan.nodes
        var problems = nodes.filter {
            $0.nodeType == "Seq Scan" && bigTables.contains($0.relationName ?? "")
        }
        .map { "a sequential scan of \($0.relationName ?? "?")" }
        let used = nodes.compactMap(\.indexName).filter {
            bigTables.contains(indexes[$0]?.table ?? "")
        }
        let tenantIndexes = used.filter {
            ["organization_id", "user_id"].contains(indexes[$0]?.leading)
        }
        let uniqueLookups = nodes.filter { node in
            guard let name = node.indexName, let facts = indexes[name], facts.unique, facts.table != table,
                let condition = node.indexCondition
            else { return false }
            return condition.contains(" = ") && !condition.contains("<") && !condition.contains(">")
        }
        .compactMap(\.indexName)
        problems += used.filter { !tenantIndexes.contains($0) && !uniqueLookups.contains($0) }.map {
            "\($0) is not led by the tenant"
        }
        if !tenantIndexes.contains(where: { indexes[$0]?.table == table }) {
            problems.append("\(table) is not reached through a tenant index")
        }
        return (tenantIndexes, problems)
    }

    @Test(
        "each dashboard query reaches the big tables through a tenant index, never a sequential scan"
    )
    func dashboardQueriesUseTenantIndexes() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let loadTime = try await DashboardDataset.generate(in: database)
        let indexes = try await Self.indexes(in: database)
        let tenant = try await DashboardDataset.tenant(7, in: database)
        var report = [
            "Dashboard plans: \(DashboardDataset.largestTableRows) rows in each area's largest table "
                + "(\(DashboardDataset.areas.map(\.name).joined(separator: ", "))) of \(DashboardDataset.organizations) organizations, "
                + "generated and analyzed in \(loadTime.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))"
        ]
        try await database.withStore(maxConnections: 1) { store in
            for dashboard in try Self.dashboardQueries() {
                let plan = try await store.withTenant(tenant) { repos in
                    try await QueryPlan.explain(dashboard.query, in: repos)
                }
                let (tenantIndexes, problems) = Self.check(
                    plan, reaching: dashboard.table, indexes: indexes)
                #expect(problems.isEmpty, "\(dashboard.name): \(problems)\n\(plan.outline)")

                // The plan cache keeps custom plans while the generic one is estimated dearer
                // (PostgreSQL switches when it is not over ~1.1 times the custom plans' average):
                // a generic plan that the server could choose must use the tenant indexes too.
                let generic = try await store.withTenant(tenant) { repos in
                    try await QueryPlan.explainGeneric(dashboard.query, in: repos)
                }
                let genericProblems = Self.check(generic, reaching: dashboard.table, indexes: indexes).problems
                let genericCouldBeChosen = generic.totalCost <= plan.totalCost * 1.1
                #expect(
                    genericProblems.isEmpty || !genericCouldBeChosen,
                    "\(dashboard.name), generic plan (cost \(generic.totalCost) vs custom \(plan.totalCost)): \(genericProblems)\n\(generic.outline)")
                let genericNote =
                    genericProblems.isEmpty
                    ? "generic plan uses the tenant indexes too"
                    : "generic plan would scan (cost \(Int(generic.totalCost)) vs \(Int(plan.totalCost))), so the server keeps custom plans"

                var durations: [Duration] = []
                var summarized: Int64 = 0
                for _ in 0..<5 {
                    let clock = ContinuousClock()
                    let start = clock.now
                    summarized = try await store.withTenant(tenant) { repos in
                        try await dashboard.run(repos)
                    }
                    durations.append(start.duration(to: clock.now))
                }
                #expect(summarized > 0, "\(dashboard.name) found none of the tenant's rows")
                if dashboard.name == "invoices.byStatusWithAging" {
                    #expect(
                        summarized
                            == Int64(DashboardDataset.invoices / DashboardDataset.organizations))
                }
                let median = durations.sorted()[durations.count / 2]
                let milliseconds =
                    Double(median.components.attoseconds) / 1e15 + Double(median.components.seconds)
                    * 1e3
                report.append(
                    "  \(dashboard.name): \(Set(tenantIndexes).sorted().joined(separator: ", ")); "
                        + "median \(String(format: "%.1f", milliseconds)) ms of 5 (\(summarized) rows summarized); \(genericNote)"
                )
            }
            // The check can fail: with index scans switched off, the same statement is caught.
            let control = try Self.dashboardQueries()[2]
            let unindexed = try await store.withTenant(tenant) { repos in
                try await repos.session.execute(
                    "plans.control",
                    """
                    SELECT set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true),
                           set_config('enable_indexonlyscan', 'off', true)
                    """)
                return try await QueryPlan.explain(control.query, in: repos)
            }
            let caught = Self.check(unindexed, reaching: control.table, indexes: indexes).problems
            #expect(!caught.isEmpty, "a plan without indexes passed:\n\(unindexed.outline)")
            report.append("  control, index scans off: \(caught.joined(separator: "; "))")
        }
        print(report.joined(separator: "\n"))
    }

    /// The rule for unique lookups, on the plan shape a loaded run produced: a lead found by its
    /// primary key for each follow-up passes; the same index read without an equality (in key
    /// order, or by a range), or reaching the dashboard's own table, does not.
    @Test func aUniqueLookupByEqualityIsNoScanButAnOrderedReadIs() throws {
        let indexes: [String: IndexFacts] = [
            "lead_tasks_organization_open_due": IndexFacts(table: "lead_tasks", leading: "organization_id", unique: false),
            "leads_pkey": IndexFacts(table: "leads", leading: "id", unique: true),
        ]
        func plan(leadsCondition: String?) throws -> QueryPlan {
            let condition = leadsCondition.map { #", "Index Cond": "\#($0)""# } ?? ""
            return try QueryPlan(json: """
                [{"Plan": {"Node Type": "Nested Loop", "Total Cost": 10, "Plans": [
                  {"Node Type": "Index Scan", "Relation Name": "lead_tasks", "Index Name": "lead_tasks_organization_open_due", "Total Cost": 5},
                  {"Node Type": "Index Scan", "Relation Name": "leads", "Index Name": "leads_pkey", "Total Cost": 1\(condition)}
                ]}}]
                """)
        }
        #expect(Self.check(try plan(leadsCondition: "(id = t.lead_id)"), reaching: "lead_tasks", indexes: indexes).problems.isEmpty)
        #expect(!Self.check(try plan(leadsCondition: nil), reaching: "lead_tasks", indexes: indexes).problems.isEmpty)
        #expect(!Self.check(try plan(leadsCondition: "(id > 5)"), reaching: "lead_tasks", indexes: indexes).problems.isEmpty)
        #expect(!Self.check(try plan(leadsCondition: "(id = t.lead_id)"), reaching: "leads", indexes: indexes).problems.isEmpty)
    }
}
