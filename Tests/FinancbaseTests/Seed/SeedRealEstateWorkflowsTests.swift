import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Seeder: real estate and workflows")
struct SeedRealEstateWorkflowsTests {
    @Test(
        "units, leases and rent agree: a unit is let exactly when an active lease covers today, no month is charged ahead, some rent is owed"
    )
    func realEstateIsConsistent() async throws {
        let seeded = try await SeededDatabase.shared
        let today = SeededDatabase.today
        try await seeded.database.withAdminConnection { connection in
            let misstated = try await SeededDatabase.lines(
                connection,
                """
                SELECT u.label, u.status FROM financbase.units u
                WHERE (u.status = 'occupied') <> EXISTS (SELECT FROM financbase.leases l WHERE l.unit_id = u.id
                    AND l.status = 'active' AND l.starts_on <= \(today) AND l.ends_on >= \(today))
                """)
            #expect(misstated == [])
            let outside = try await SeededDatabase.lines(
                connection,
                """
                SELECT rp.id::text FROM financbase.rent_payments rp JOIN financbase.leases l ON l.id = rp.lease_id
                WHERE rp.period_month > \(today) OR rp.period_month < date_trunc('month', l.starts_on)
                   OR rp.period_month > l.ends_on OR rp.paid_on > \(today) OR l.status = 'draft'
                """)
            #expect(outside == [])
            let statuses = try await SeededDatabase.lines(
                connection, "SELECT DISTINCT status FROM financbase.leases ORDER BY 1")
            #expect(Set(["active", "ended"]).isSubset(of: statuses), "\(statuses)")
        }
        try await seeded.database.withStore { store in
            for organization in seeded.organizations {
                let (occupancy, arrears) = try await store.withTenant(organization.admin) { repos in
                    (
                        try await repos.properties.occupancy(asOf: today),
                        try await repos.rentPayments.arrears(asOf: today)
                    )
                }
                #expect(
                    occupancy.contains { $0.occupied > 0 }
                        && occupancy.contains { $0.occupied < $0.units })
                #expect(!arrears.isEmpty, "\(organization.name) has rent in arrears")
            }
        }
    }

    @Test(
        "runs agree with their workflow: steps of its own, one failure at least, one running and one queued today"
    )
    func workflowsAreConsistent() async throws {
        let seeded = try await SeededDatabase.shared
        try await seeded.database.withAdminConnection { connection in
            let strays = try await SeededDatabase.lines(
                connection,
                """
                SELECT sr.id::text FROM financbase.workflow_step_runs sr
                JOIN financbase.workflow_runs r ON r.id = sr.run_id JOIN financbase.workflow_steps s ON s.id = sr.step_id
                WHERE s.definition_id <> r.definition_id
                   OR (r.status = 'succeeded' AND sr.status <> 'succeeded')
                   OR (r.status = 'failed') <> EXISTS (SELECT FROM financbase.workflow_step_runs f
                                                       WHERE f.run_id = r.id AND f.status = 'failed')
                """)
            #expect(strays == [])
            for organization in seeded.organizations {
                let statuses = try await SeededDatabase.lines(
                    connection,
                    """
                    SELECT status || ' ' || count(*) FROM financbase.workflow_runs
                    WHERE organization_id = \(organization.admin.organizationID)
                      AND status IN ('running', 'queued') GROUP BY status ORDER BY status
                    """)
                #expect(statuses == ["queued 1", "running 1"])
            }
        }
        try await seeded.database.withStore { store in
            let tenant = seeded.organizations[0]
            let end = try #require(
                PGDate(daysSince2000: SeededDatabase.today.daysSince2000 + 1).date)
            let (failed, times) = try await store.withTenant(tenant.admin) { repos in
                (
                    try await repos.workflowRuns.failed(
                        from: end.addingTimeInterval(-60 * 86_400), to: end),
                    try await repos.workflowRuns.runTimes(
                        from: end.addingTimeInterval(-60 * 86_400), to: end)
                )
            }
            #expect(!failed.rows.isEmpty)
            // Every active workflow ran; the inactive one did not.
            #expect(
                times.map(\.definitionName) == [
                    "Failed payment alert", "Invoice reminders", "New client onboarding",
                    "Weekly cash report",
                ])
            #expect(
                times.allSatisfy {
                    $0.p50Seconds <= $0.p90Seconds && $0.p90Seconds <= $0.p99Seconds
                })
        }
    }
}
