/// One area's part of the plan tests' generated database (``DashboardDataset``).
struct PlanArea: Sendable {
    /// The area's name, for the report.
    var name: String
    /// Its tables big enough that a sequential scan would read every tenant's rows.
    var bigTables: Set<String>
    /// The statements that fill its tables, after the core's (organizations `md5('org-i')`,
    /// users `md5('user-i-j')`, j < 5, clients `md5('client-i-c')`, c < 50, exist): keys
    /// computed from row numbers, row `g` in organization `g % 20`, sized from
    /// ``DashboardDataset/largestTableRows``.
    var sql: String
    /// A query answering one `bigint`: the rows whose parent is missing (must be 0).
    var orphans: String
    /// Its dashboard queries, as their repositories send them.
    var queries: @Sendable () throws -> [DashboardPlanTests.DashboardQuery]
}
