import Foundation
import PGClient
import PGWire

@testable import Financbase

/// The leads area of the plan tests' database: lead activities (the largest table, eight per
/// lead), two follow-ups per lead and the leads themselves, dates growing with the row number;
/// and its dashboard queries.
enum LeadsPlanArea {
    static let activities = DashboardDataset.largestTableRows
    static let leadsPerOrganization = activities / DashboardDataset.organizations / 8
    static let leads = leadsPerOrganization * DashboardDataset.organizations
    static let tasks = leads * 2

    /// The id of organization `organization`'s first lead.
    static func firstLead(of organization: Int) -> UUID {
        UUID(uuidString: "00000000-0000-4000-8011-" + String(format: "%012x", organization)) ?? UUID()
    }

    static let area = PlanArea(
        name: "leads", bigTables: ["leads", "lead_activities", "lead_tasks"], sql: sql,
        orphans: """
            SELECT (SELECT count(*) FROM financbase.lead_activities a WHERE NOT EXISTS
                       (SELECT FROM financbase.leads l WHERE l.organization_id = a.organization_id AND l.id = a.lead_id))
                 + (SELECT count(*) FROM financbase.lead_tasks t WHERE NOT EXISTS
                       (SELECT FROM financbase.leads l WHERE l.organization_id = t.organization_id AND l.id = t.lead_id))
                 + (SELECT count(*) FROM financbase.lead_tasks t WHERE NOT EXISTS
                       (SELECT FROM financbase.users u WHERE u.organization_id = t.organization_id AND u.id = t.user_id))
                 + (SELECT count(*) FROM financbase.leads l WHERE l.converted_client_id IS NOT NULL AND NOT EXISTS
                       (SELECT FROM financbase.clients c WHERE c.organization_id = l.organization_id AND c.id = l.converted_client_id))
            """,
        queries: queries)

    /// The leads dashboard's queries: the funnel and conversion rates of the last twelve months,
    /// the follow-ups overdue on the dataset's last day, and one lead's history.
    static func queries() throws -> [DashboardPlanTests.DashboardQuery] {
        let (year, end, asOf) = (try date(2025, 1, 1), try date(2026, 1, 1), try date(2025, 12, 31))
        let lead = firstLead(of: 7)
        return [
            DashboardPlanTests.DashboardQuery(
                name: "leads.funnel(12 months)", table: "leads",
                query: LeadRepository.funnelQuery(from: year, to: end),
                run: { try await $0.leads.funnel(from: year, to: end).map(\.count).reduce(0, +) }),
            DashboardPlanTests.DashboardQuery(
                name: "leads.conversionBySource(12 months)", table: "leads",
                query: LeadRepository.conversionBySourceQuery(from: year, to: end),
                run: { try await $0.leads.conversionBySource(from: year, to: end).map(\.leads).reduce(0, +) }),
            DashboardPlanTests.DashboardQuery(
                name: "leadTasks.overdue(limit: 50)", table: "lead_tasks",
                query: LeadTaskRepository.overdueQuery(asOf: asOf, limit: 50),
                run: { Int64(try await $0.leadTasks.overdue(asOf: asOf, limit: 50).count) }),
            DashboardPlanTests.DashboardQuery(
                name: "leadActivities.forLead", table: "lead_activities",
                query: LeadActivityRepository.forLeadQuery(lead),
                run: { Int64(try await $0.leadActivities.forLead(lead).count) }),
        ]
    }

    // Lead row g is organization g % 20's n-th (n = g / 20), id '…-8011-<g>'; activity and task
    // rows are numbered the same way and belong to their organization's lead n / 8 and n / 2,
    // whose row is (n / 8) * 20 + g % 20 (and (n / 2) * 20 + g % 20). Stages and sources vary
    // with n; follow-ups due before November 2025 are mostly done.
    private static let sql = """
        INSERT INTO financbase.leads
            (id, organization_id, user_id, name, email, source, stage, captured_on, estimated_value,
             converted_client_id)
        SELECT ('00000000-0000-4000-8011-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
               md5('user-' || g % 20 || '-' || n % 5)::uuid, 'Lead ' || g, 'lead' || g || '@example.test',
               (ARRAY['website', 'referral', 'campaign', 'event', 'cold_outreach', 'other'])[n % 6 + 1], stage,
               date '2024-01-01' + g * 730 / \(leads), (g % 400) * 125.00,
               CASE WHEN stage = 'won' THEN md5('client-' || g % 20 || '-' || n % 50)::uuid END
        FROM generate_series(0, \(leads - 1)) AS g,
             LATERAL (SELECT g / 20 AS n) AS per_organization,
             LATERAL (SELECT (ARRAY['new', 'contacted', 'qualified', 'proposal', 'won', 'lost', 'lost'])[n / 6 % 7 + 1]
                      AS stage) AS staged;
        INSERT INTO financbase.lead_activities (id, organization_id, lead_id, user_id, kind, occurred_at, summary)
        SELECT ('00000000-0000-4000-8012-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
               ('00000000-0000-4000-8011-' || lpad(to_hex(least(n / 8, \(leadsPerOrganization - 1)) * 20 + g % 20), 12, '0'))::uuid,
               md5('user-' || g % 20 || '-' || n % 5)::uuid, (ARRAY['call', 'email', 'meeting', 'note'])[n % 4 + 1],
               timestamptz '2024-01-01 00:00:00+00' + g * interval '63072 seconds' / \(activities / 1_000),
               'Activity ' || g
        FROM generate_series(0, \(activities - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        INSERT INTO financbase.lead_tasks (id, organization_id, lead_id, user_id, title, due_date, done, done_at)
        SELECT ('00000000-0000-4000-8013-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
               ('00000000-0000-4000-8011-' || lpad(to_hex(least(n / 2, \(leadsPerOrganization - 1)) * 20 + g % 20), 12, '0'))::uuid,
               md5('user-' || g % 20 || '-' || n % 5)::uuid, 'Follow-up ' || g, due, done,
               CASE WHEN done THEN due + time '17:00' END
        FROM generate_series(0, \(tasks - 1)) AS g,
             LATERAL (SELECT g / 20 AS n) AS per_organization,
             LATERAL (SELECT date '2024-01-01' + g * 730 / \(tasks) AS due) AS dated,
             LATERAL (SELECT due < date '2025-11-01' AND n % 10 <> 0 AS done) AS finished;
        """
}
