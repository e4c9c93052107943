import Financbase
import Foundation
import PGClient

@testable import Financbase

extension DashboardDataset {
    /// The activity log (the area's largest table) and a tenth as many notifications, spread
    /// over the two years and the organizations' five users.
    static let workspace = PlanArea(
        name: "workspace", bigTables: ["activity_log", "notifications"],
        sql: """
            INSERT INTO financbase.activity_log (id, organization_id, user_id, action, entity_type, entity_id, created_at)
            SELECT ('00000000-0000-4000-8100-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
                   md5('user-' || g % 20 || '-' || n % 5)::uuid,
                   (ARRAY['invoice.created', 'invoice.sent', 'payment.recorded', 'expense.submitted', 'report.viewed',
                          'client.created'])[n % 6 + 1],
                   (ARRAY['invoice', 'invoice', 'payment', 'expense', 'report', 'client'])[n % 6 + 1],
                   md5('entity-' || g)::uuid,
                   timestamptz '2024-01-01 00:00:00+00' + g * interval '63072 seconds' / \(largestTableRows / 1_000)
            FROM generate_series(0, \(largestTableRows - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
            INSERT INTO financbase.notifications (id, organization_id, user_id, kind, title, read_at, created_at)
            SELECT ('00000000-0000-4000-8101-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
                   md5('user-' || g % 20 || '-' || n % 5)::uuid, 'info', 'Notification ' || g,
                   CASE WHEN n % 3 > 0 THEN timestamptz '2024-01-01 00:00:00+00' + g * interval '630720 seconds' / \(largestTableRows / 1_000) END,
                   timestamptz '2024-01-01 00:00:00+00' + g * interval '630720 seconds' / \(largestTableRows / 1_000)
            FROM generate_series(0, \(largestTableRows / 10 - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
            """,
        orphans: """
            SELECT (SELECT count(*) FROM financbase.activity_log a WHERE NOT EXISTS
                       (SELECT FROM financbase.users u WHERE u.organization_id = a.organization_id AND u.id = a.user_id))
                 + (SELECT count(*) FROM financbase.notifications x WHERE NOT EXISTS
                       (SELECT FROM financbase.users u WHERE u.organization_id = x.organization_id AND u.id = x.user_id))
            """,
        queries: {
            let december = Date(timeIntervalSince1970: 1_764_547_200)
            let end = Date(timeIntervalSince1970: 1_767_225_600)
            return [
                DashboardPlanTests.DashboardQuery(
                    name: "activity.countsByAction(last month)", table: "activity_log",
                    query: ActivityRepository.countsByActionQuery(from: december, to: end),
                    run: { try await $0.activity.countsByAction(from: december, to: end).map(\.count).reduce(0, +) }),
                DashboardPlanTests.DashboardQuery(
                    name: "notifications.inbox(unread, 20)", table: "notifications",
                    query: NotificationRepository.inboxQuery(unreadOnly: true, limit: 20),
                    run: { Int64(try await $0.notifications.inbox(unreadOnly: true, limit: 20).count) }),
            ]
        })
}
