import Financbase
import Foundation
import PGWire

/// The workflows part of a tenant's dashboard, read through its repositories in one unit of
/// work: the runs that failed in the last 30 days and how long each workflow's runs took.
struct WorkflowsDashboard {
    let failed: [FailedWorkflowRun]
    let times: [WorkflowRunTimes]

    /// Reads `context`'s workflow dashboard for the 30 days up to the end of `today`.
    static func load(_ context: TenantContext, store: FinancbaseStore, today: PGDate) async throws
        -> WorkflowsDashboard
    {
        let end = TenantDashboard.instant(PGDate(daysSince2000: today.daysSince2000 + 1))
        let start = end.addingTimeInterval(-30 * 86_400)
        return try await store.withTenant(context) { repos in
            WorkflowsDashboard(
                failed: try await repos.workflowRuns.failed(from: start, to: end, limit: 8).rows,
                times: try await repos.workflowRuns.runTimes(from: start, to: end))
        }
    }

    func print() {
        Output.section("Workflows: failed runs of the last 30 days (newest first)")
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd HH:mm"
        format.timeZone = TimeZone(identifier: "UTC")
        var failures = TextTable([
            ("failed at (UTC)", .left), ("workflow", .left), ("tries", .right), ("error", .left),
        ])
        for run in failed {
            failures.add([
                format.string(from: run.finishedAt), run.definitionName, String(run.attemptCount),
                (run.error ?? "").truncated(to: 48),
            ])
        }
        Output.line(failures.render())

        Output.section("Workflow run times of the last 30 days (finished runs)")
        var table = TextTable([
            ("workflow", .left), ("runs", .right), ("p50", .right), ("p90", .right),
            ("p99", .right),
        ])
        for row in times {
            table.add([
                row.definitionName, String(row.runs), Self.duration(row.p50Seconds),
                Self.duration(row.p90Seconds),
                Self.duration(row.p99Seconds),
            ])
        }
        Output.line(table.render())
    }

    /// `0.42` → `0.4 s`, `95` → `1.6 min`, `86400` → `24.0 h`.
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<60: String(format: "%.1f s", seconds)
        case ..<3_600: String(format: "%.1f min", seconds / 60)
        default: String(format: "%.1f h", seconds / 3_600)
        }
    }
}
