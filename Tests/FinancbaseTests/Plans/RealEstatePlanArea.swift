import Foundation

@testable import Financbase

/// The real-estate part of the plan tests' database: rent payments are the largest table, one
/// row per lease and month; each lease runs twelve months, each unit had two leases (2024, then
/// 2025: active, but one unit in ten terminated), twenty units a property, a renter per lease,
/// a repair request per unit. A lease in twenty owes its last three months, another its last
/// one in part, so arrears are a small part of the table, as they are in a real one.
///
/// Row `g` of a table belongs to organization `g % 20` and is its `n = g / 20`-th; a child's
/// parent is the parent's `n` in the same organization: unit `n` of property `n / 20`, lease
/// `n` of unit `n / 2`, rent row `n` of lease `n / 12`. Ids are `00000000-0000-4000-812x-<g>`.
enum RealEstatePlanArea {
    static let rentPayments = DashboardDataset.largestTableRows
    /// Per organization: the rent rows of the busiest one, twelve a lease, two leases a unit,
    /// twenty units a property.
    static let leasesPerOrganization =
        ((rentPayments - 1) / DashboardDataset.organizations + 1 + 11) / 12
    static let unitsPerOrganization = (leasesPerOrganization + 1) / 2
    static let propertiesPerOrganization = (unitsPerOrganization + 19) / 20
    static let leases = leasesPerOrganization * DashboardDataset.organizations
    static let units = unitsPerOrganization * DashboardDataset.organizations
    static let properties = propertiesPerOrganization * DashboardDataset.organizations

    static let area = PlanArea(
        name: "real estate",
        bigTables: ["rent_payments", "leases", "units", "renters", "maintenance_requests"],
        sql: sql,
        orphans: """
            SELECT (SELECT count(*) FROM financbase.rent_payments rp WHERE NOT EXISTS
                       (SELECT FROM financbase.leases l WHERE l.organization_id = rp.organization_id AND l.id = rp.lease_id))
                 + (SELECT count(*) FROM financbase.leases l WHERE NOT EXISTS
                       (SELECT FROM financbase.units u WHERE u.organization_id = l.organization_id AND u.id = l.unit_id)
                       OR NOT EXISTS (SELECT FROM financbase.renters r
                           WHERE r.organization_id = l.organization_id AND r.id = l.renter_id))
                 + (SELECT count(*) FROM financbase.units u WHERE NOT EXISTS
                       (SELECT FROM financbase.properties p WHERE p.organization_id = u.organization_id AND p.id = u.property_id))
                 + (SELECT count(*) FROM financbase.maintenance_requests m WHERE NOT EXISTS
                       (SELECT FROM financbase.units u WHERE u.organization_id = m.organization_id AND u.id = m.unit_id)
                       OR NOT EXISTS (SELECT FROM financbase.users s
                           WHERE s.organization_id = m.organization_id AND s.id = m.reported_by))
            """,
        queries: queries)

    /// Occupancy, the rent roll and the arrears on the dataset's last day.
    static func queries() throws -> [DashboardPlanTests.DashboardQuery] {
        let asOf = try date(2025, 12, 31)
        return [
            DashboardPlanTests.DashboardQuery(
                name: "properties.occupancy", table: "units",
                query: PropertyRepository.occupancyQuery(asOf: asOf),
                run: { try await $0.properties.occupancy(asOf: asOf).map(\.units).reduce(0, +) }),
            DashboardPlanTests.DashboardQuery(
                name: "leases.rentRoll", table: "leases",
                query: LeaseRepository.rentRollQuery(asOf: asOf),
                run: { Int64(try await $0.leases.rentRoll(asOf: asOf).count) }),
            DashboardPlanTests.DashboardQuery(
                name: "rentPayments.arrears", table: "rent_payments",
                query: RentPaymentRepository.arrearsQuery(asOf: asOf),
                run: {
                    try await $0.rentPayments.arrears(asOf: asOf).map(\.unpaidPeriods).reduce(0, +)
                }),
        ]
    }

    /// The id of row `g` (an SQL expression) of the table numbered `table`.
    private static func id(_ table: Int, _ g: String) -> String {
        "('00000000-0000-4000-\(table)-' || lpad(to_hex(\(g)), 12, '0'))::uuid"
    }

    private static let sql = """
        INSERT INTO financbase.properties (id, organization_id, name, address, city, country, kind, purchase_price, purchased_on)
        SELECT \(id(8120, "g")), md5('org-' || g % 20)::uuid, 'Property ' || g, g || ' Main Street',
               (ARRAY['Austin', 'Berlin', 'Lisbon', 'Toronto'])[n % 4 + 1], 'US',
               (ARRAY['residential', 'commercial', 'mixed'])[n % 3 + 1], 500000 + (g % 50) * 10000,
               date '2015-01-01' + g % 3000
        FROM generate_series(0, \(properties - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        INSERT INTO financbase.units (id, organization_id, property_id, label, bedrooms, area_m2, market_rent, status)
        SELECT \(id(8121, "g")), md5('org-' || g % 20)::uuid, \(id(8120, "(n / 20) * 20 + g % 20")),
               'Unit ' || n % 20, n % 4, 40 + n % 60, 800 + (n % 40) * 25,
               CASE WHEN n % 10 = 9 THEN 'vacant' ELSE 'occupied' END
        FROM generate_series(0, \(units - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        INSERT INTO financbase.renters (id, organization_id, name, email)
        SELECT \(id(8122, "g")), md5('org-' || g % 20)::uuid, 'Renter ' || g, 'renter' || g || '@example.test'
        FROM generate_series(0, \(leases - 1)) AS g;
        INSERT INTO financbase.leases
            (id, organization_id, unit_id, renter_id, starts_on, ends_on, monthly_rent, deposit, status, payment_day)
        SELECT \(id(8123, "g")), md5('org-' || g % 20)::uuid, \(id(8121, "(n / 2) * 20 + g % 20")), \(id(8122, "g")),
               date '2024-01-01' + (n % 2) * interval '1 year', date '2024-12-31' + (n % 2) * interval '1 year',
               800 + (n / 2 % 40) * 25, 1600 + (n / 2 % 40) * 50,
               CASE WHEN n % 2 = 0 THEN 'ended' WHEN n / 2 % 10 = 9 THEN 'terminated' ELSE 'active' END, 1 + n % 28
        FROM generate_series(0, \(leases - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        INSERT INTO financbase.rent_payments
            (id, organization_id, lease_id, period_month, amount_due, amount_paid, paid_on, status)
        SELECT \(id(8124, "g")), md5('org-' || g % 20)::uuid, \(id(8123, "(n / 12) * 20 + g % 20")), period, due,
               CASE standing WHEN 'late' THEN 0 WHEN 'partial' THEN due / 2 ELSE due END,
               CASE WHEN standing <> 'late' THEN period + n / 12 % 28 END, standing
        FROM generate_series(0, \(rentPayments - 1)) AS g,
             LATERAL (SELECT g / 20 AS n, 800 + (g / 20 / 12 / 2 % 40) * 25 AS due,
                      (date '2024-01-01' + (g / 20 / 12 % 2 * 12 + g / 20 % 12) * interval '1 month')::date AS period,
                      CASE WHEN g / 20 / 12 % 20 = 3 AND g / 20 % 12 >= 9 THEN 'late'
                           WHEN g / 20 / 12 % 20 = 7 AND g / 20 % 12 = 11 THEN 'partial'
                           ELSE 'paid' END AS standing) AS per_organization;
        INSERT INTO financbase.maintenance_requests
            (id, organization_id, unit_id, reported_by, title, priority, status, cost, opened_at, closed_at)
        SELECT \(id(8125, "g")), md5('org-' || g % 20)::uuid, \(id(8121, "g")), md5('user-' || g % 20 || '-' || n % 5)::uuid,
               'Repair ' || g, (ARRAY['low', 'normal', 'high', 'urgent'])[n % 4 + 1],
               CASE WHEN n % 5 = 0 THEN 'open' ELSE 'done' END, CASE WHEN n % 5 = 0 THEN NULL ELSE 50 + n % 500 END,
               timestamptz '2024-01-01 00:00:00+00' + g * interval '63072 seconds' / \(max(1, units / 1_000)),
               CASE WHEN n % 5 <> 0
                    THEN timestamptz '2024-01-02 00:00:00+00' + g * interval '63072 seconds' / \(max(1, units / 1_000)) END
        FROM generate_series(0, \(units - 1)) AS g, LATERAL (SELECT g / 20 AS n) AS per_organization;
        """
}
