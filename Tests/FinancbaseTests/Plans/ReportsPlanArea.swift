import Financbase
import Foundation
import PGClient

@testable import Financbase

extension DashboardDataset {
    /// Analytics events (the area's largest table) over the two years; the reports read the
    /// core's ledger and invoices.
    static let reports = PlanArea(
        name: "analytics and reports", bigTables: ["analytics_events"],
        sql: """
            INSERT INTO financbase.analytics_events (id, organization_id, user_id, name, occurred_at)
            SELECT ('00000000-0000-4000-8200-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
                   CASE WHEN n % 7 > 0 THEN md5('user-' || g % 20 || '-' || n % 5)::uuid END,
                   (ARRAY['dashboard.opened', 'invoice.viewed', 'report.opened', 'expense.viewed'])[n % 4 + 1],
                   timestamptz '2024-01-01 00:00:00+00' + g * interval '63072 seconds' / \(largestTableRows / 1_000)
            FROM generate_series(0, \(largestTableRows - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
            """,
        orphans: """
            SELECT count(*) FROM financbase.analytics_events e WHERE e.user_id IS NOT NULL AND NOT EXISTS
                (SELECT FROM financbase.users u WHERE u.organization_id = e.organization_id AND u.id = e.user_id)
            """,
        queries: {
            let december = Date(timeIntervalSince1970: 1_764_547_200)
            let end = Date(timeIntervalSince1970: 1_767_225_600)
            let (yearDay, endDay, asOf) = (try date(2025, 1, 1), try date(2026, 1, 1), try date(2025, 12, 31))
            return [
                DashboardPlanTests.DashboardQuery(
                    name: "analytics.eventsPerDay(last month)", table: "analytics_events",
                    query: AnalyticsRepository.eventsPerDayQuery(from: december, to: end),
                    run: { try await $0.analytics.eventsPerDay(from: december, to: end).map(\.count).reduce(0, +) }),
                DashboardPlanTests.DashboardQuery(
                    name: "reports.cashFlow(12 months)", table: "transactions",
                    query: ReportRepository.cashFlowQuery(from: yearDay, to: endDay),
                    run: { Int64(try await $0.reports.cashFlow(from: yearDay, to: endDay).count) }),
                DashboardPlanTests.DashboardQuery(
                    name: "reports.profitAndLoss(12 months)", table: "transactions",
                    query: ReportRepository.profitAndLossQuery(from: yearDay, to: endDay),
                    run: { Int64(try await $0.reports.profitAndLoss(from: yearDay, to: endDay).count) }),
                DashboardPlanTests.DashboardQuery(
                    name: "reports.receivablesAging", table: "invoices",
                    query: ReportRepository.receivablesAgingQuery(asOf: asOf),
                    run: { Int64(try await $0.reports.receivablesAging(asOf: asOf).count) }),
            ]
        })
}
