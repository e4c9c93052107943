import Foundation
import PGWire
import Testing

@testable import Financbase

/// The workflows part of the plan tests' database: workflow runs are the largest table, spread
/// over the two years; ten workflows an organization, four steps and a trigger each; one run in
/// 25 failed, one in 50 was cancelled, the rest succeeded after 10 seconds to 7 minutes; half
/// the runs have the run of their first step.
///
/// Row `g` of a table belongs to organization `g % 20` and is its `n = g / 20`-th: run `n` is of
/// workflow `n % 10` (started by its trigger, except one in seven, started by hand), step `n` of
/// workflow `n / 4` at position `n % 4`. Ids are `00000000-0000-4000-813x-<g>`.
enum WorkflowsPlanArea {
    static let runs = DashboardDataset.largestTableRows
    static let stepRuns = runs / 2
    static let workflowsPerOrganization = 10

    static let area = PlanArea(
        name: "workflows", bigTables: ["workflow_runs", "workflow_step_runs"], sql: sql,
        orphans: """
            SELECT (SELECT count(*) FROM financbase.workflow_runs r WHERE NOT EXISTS
                       (SELECT FROM financbase.workflow_definitions d
                        WHERE d.organization_id = r.organization_id AND d.id = r.definition_id)
                       OR (r.trigger_id IS NOT NULL AND NOT EXISTS (SELECT FROM financbase.workflow_triggers t
                           WHERE t.organization_id = r.organization_id AND t.id = r.trigger_id
                             AND t.definition_id = r.definition_id)))
                 + (SELECT count(*) FROM financbase.workflow_step_runs sr WHERE NOT EXISTS
                       (SELECT FROM financbase.workflow_runs r JOIN financbase.workflow_steps s
                            ON s.organization_id = r.organization_id AND s.definition_id = r.definition_id
                        WHERE r.organization_id = sr.organization_id AND r.id = sr.run_id AND s.id = sr.step_id))
                 + (SELECT count(*) FROM financbase.workflow_steps s WHERE NOT EXISTS
                       (SELECT FROM financbase.workflow_definitions d
                        WHERE d.organization_id = s.organization_id AND d.id = s.definition_id))
            """,
        queries: queries)

    /// The failed runs of the dataset's last month (the first page of 50) and the run times of
    /// its last twelve months.
    static func queries() throws -> [DashboardPlanTests.DashboardQuery] {
        let december = Date(timeIntervalSince1970: 1_764_547_200)
        let year = Date(timeIntervalSince1970: 1_735_689_600)
        let end = Date(timeIntervalSince1970: 1_767_225_600)
        let first = FailedRunCursor(
            finishedAt: try #require(PGTimestamp(end)), id: WorkflowRunRepository.lowestID)
        return [
            DashboardPlanTests.DashboardQuery(
                name: "workflowRuns.failed(last month, 50)", table: "workflow_runs",
                // The repository asks for one more row than the page, to know whether one follows.
                query: WorkflowRunRepository.failedQuery(from: december, before: first, limit: 51),
                run: {
                    Int64(
                        try await $0.workflowRuns.failed(from: december, to: end, limit: 50).rows
                            .count)
                }),
            DashboardPlanTests.DashboardQuery(
                name: "workflowRuns.runTimes(last 12 months)", table: "workflow_runs",
                query: WorkflowRunRepository.runTimesQuery(from: year, to: end),
                run: {
                    try await $0.workflowRuns.runTimes(from: year, to: end).map(\.runs).reduce(0, +)
                }),
        ]
    }

    /// The id of row `g` (an SQL expression) of the table numbered `table`.
    private static func id(_ table: Int, _ g: String) -> String {
        "('00000000-0000-4000-\(table)-' || lpad(to_hex(\(g)), 12, '0'))::uuid"
    }

    /// Runs start every 63,072 s × 1,000 / `runs` (two years over the table), in row order.
    private static let started =
        "timestamptz '2024-01-01 00:00:00+00' + g * interval '63072 seconds' / \(max(1, runs / 1_000))"

    private static let sql = """
        INSERT INTO financbase.workflow_definitions (id, organization_id, name, description, is_active, version)
        SELECT \(id(8130, "g")), md5('org-' || g % 20)::uuid, 'Workflow ' || g / 20, 'Generated workflow',
               g / 20 <> 9, 1 + g % 3
        FROM generate_series(0, \(workflowsPerOrganization * 20 - 1)) AS g;
        INSERT INTO financbase.workflow_steps (id, organization_id, definition_id, position, name, kind, config)
        SELECT \(id(8131, "g")), md5('org-' || g % 20)::uuid, \(id(8130, "(n / 4) * 20 + g % 20")),
               n % 4, 'Step ' || n % 4, (ARRAY['http', 'email', 'condition', 'delay', 'script'])[n % 5 + 1],
               jsonb_build_object('step', n % 4)
        FROM generate_series(0, \(workflowsPerOrganization * 4 * 20 - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        INSERT INTO financbase.workflow_triggers (id, organization_id, definition_id, kind, config)
        SELECT \(id(8132, "g")), md5('org-' || g % 20)::uuid, \(id(8130, "g")),
               (ARRAY['schedule', 'event', 'manual', 'webhook'])[g / 20 % 4 + 1], jsonb_build_object('cron', '0 * * * *')
        FROM generate_series(0, \(workflowsPerOrganization * 20 - 1)) AS g;
        INSERT INTO financbase.workflow_runs
            (id, organization_id, definition_id, trigger_id, status, started_at, finished_at, error, attempt_count)
        SELECT \(id(8133, "g")), md5('org-' || g % 20)::uuid, \(id(8130, "n % 10 * 20 + g % 20")),
               CASE WHEN n % 7 <> 0 THEN \(id(8132, "n % 10 * 20 + g % 20")) END,
               CASE WHEN n % 25 = 3 THEN 'failed' WHEN n % 50 = 7 THEN 'cancelled' ELSE 'succeeded' END,
               started, started + ((n % 10 + 1) * 10 + n * 7919 % 300) * interval '1 second',
               CASE WHEN n % 25 = 3 THEN 'HTTP 502 from the web hook' END, 1 + (n % 3 = 0)::int
        FROM generate_series(0, \(runs - 1)) AS g,
             LATERAL (SELECT g / 20 AS n, \(started) AS started) AS per_organization;
        INSERT INTO financbase.workflow_step_runs
            (id, organization_id, run_id, step_id, status, attempts, error, started_at, finished_at)
        SELECT \(id(8134, "g")), md5('org-' || g % 20)::uuid, \(id(8133, "g")), \(id(8131, "n % 10 * 4 * 20 + g % 20")),
               CASE WHEN n % 25 = 3 THEN 'failed' ELSE 'succeeded' END, 1,
               CASE WHEN n % 25 = 3 THEN 'HTTP 502 from the web hook' END, started, started + interval '1 second'
        FROM generate_series(0, \(stepRuns - 1)) AS g,
             LATERAL (SELECT g / 20 AS n, \(started) AS started) AS per_organization;
        """
}
