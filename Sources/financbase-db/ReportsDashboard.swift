import Financbase
import Foundation
import PGWire

/// The reports part of one tenant's dashboard: the saved reports with their last run, and the
/// cash flow of the last three months, read in one unit of work of its admin.
struct ReportsDashboard {
    let reports: [(ReportDefinition, ReportRun?)]
    let cashFlow: [CashFlowMonth]

    /// Reads `context`'s reports as of `today`.
    static func load(_ context: TenantContext, store: FinancbaseStore, today: PGDate) async throws
        -> ReportsDashboard
    {
        let tomorrow = PGDate(daysSince2000: today.daysSince2000 + 1)
        let start = TenantDashboard.firstOfMonth(2, monthsBefore: today)
        return try await store.withTenant(context) { repos in
            var reports: [(ReportDefinition, ReportRun?)] = []
            for report in try await repos.reports.list(limit: 10).rows {
                reports.append((report, try await repos.reports.runs(of: report.id, limit: 1).first))
            }
            return ReportsDashboard(
                reports: reports, cashFlow: try await repos.reports.cashFlow(from: start, to: tomorrow))
        }
    }

    func print() {
        Output.section("Saved reports and their last run")
        var saved = TextTable([("report", .left), ("kind", .left), ("schedule", .left), ("last run", .left), ("rows", .right)])
        for (report, run) in reports {
            saved.add([
                report.name, report.kind.rawValue, report.schedule.rawValue, run?.status.rawValue ?? "never",
                run?.rowCount.map(String.init) ?? "",
            ])
        }
        Output.line(saved.render())

        Output.section("Cash flow of the last three months (completed ledger entries, transfers left out)")
        var flow = TextTable([("month", .left), ("in", .right), ("out", .right), ("net", .right)])
        for month in cashFlow {
            flow.add([
                String(month.month.description.prefix(7)), MoneyText.format(month.inflow, currency: month.currency),
                MoneyText.format(month.outflow, currency: month.currency), MoneyText.format(month.net, currency: month.currency),
            ])
        }
        Output.line(flow.render())
    }
}
