import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Repositories: real-estate dashboard")
struct RealEstateDashboardTests {
    /// Three properties (one without units), four units, five leases and their rent months, as
    /// the comments say; another organization's lease in arrears must not show.
    ///
    /// | unit | lease | term | status | rent | on 2025-06-30 |
    /// | Alpha Court A1 | L0 | 2024 | ended | 900.00 | December unpaid |
    /// | Alpha Court A1 | L1 | 2025 | active | 1000.00 | let; March 400 paid, April and June nothing |
    /// | Alpha Court A2 | L2 | from 2025-07-01 | active | 1200.00 | vacant (not started) |
    /// | Alpha Court A3 | L3 | from 2025-06-01 | draft | 1100.00 | vacant (a draft) |
    /// | Beta House B1 | L4 | to 2025-06-30 | active | 800.50 | let (its last day); June due the 28th |
    static func seed(_ store: FinancbaseStore, _ context: TenantContext) async throws -> [String:
        UUID]
    {
        try await store.withTenant(context) { repos in
            func property(_ name: String) async throws -> Property {
                try await repos.properties.create(
                    name: name, address: "1 \(name) Road", city: "Austin", country: "US",
                    kind: .residential,
                    purchasePrice: try numeric("500000.00"), purchasedOn: try date(2018, 3, 1))
            }
            let (alpha, beta) = (
                try await property("Alpha Court"), try await property("Beta House")
            )
            _ = try await property("Cedar Lot")
            var units: [String: UUID] = [:]
            for (property, label) in [(alpha, "A1"), (alpha, "A2"), (alpha, "A3"), (beta, "B1")] {
                units[label] = try await repos.units.create(
                    propertyID: property.id, label: label, areaM2: 50,
                    marketRent: try numeric("1000.00")
                ).id
            }
            let ada = try await repos.renters.create(name: "Ada")
            let bob = try await repos.renters.create(name: "Bob")
            let cy = try await repos.renters.create(name: "Cy")
            func lease(
                _ unit: String, _ renter: Renter, _ from: PGDate, _ to: PGDate, _ rent: String,
                _ status: LeaseStatus,
                day: Int32 = 1
            ) async throws -> Lease {
                try await repos.leases.create(
                    unitID: try #require(units[unit]), renterID: renter.id, startsOn: from,
                    endsOn: to,
                    monthlyRent: try numeric(rent), status: status, paymentDay: day)
            }
            let l0 = try await lease(
                "A1", cy, try date(2024, 1, 1), try date(2024, 12, 31), "900.00", .ended)
            let l1 = try await lease(
                "A1", ada, try date(2025, 1, 1), try date(2025, 12, 31), "1000.00", .active)
            _ = try await lease(
                "A2", cy, try date(2025, 7, 1), try date(2026, 6, 30), "1200.00", .active)
            _ = try await lease(
                "A3", cy, try date(2025, 6, 1), try date(2026, 5, 31), "1100.00", .draft)
            let l4 = try await lease(
                "B1", bob, try date(2024, 7, 1), try date(2025, 6, 30), "800.50", .active, day: 28)

            func month(
                _ lease: Lease, _ month: PGDate, paid: String = "0", _ status: RentPaymentStatus
            ) async throws {
                let amount = try numeric(paid)
                _ = try await repos.rentPayments.create(
                    leaseID: lease.id, periodMonth: month, amountPaid: amount,
                    paidOn: amount.isZero ? nil : PGDate(daysSince2000: month.daysSince2000 + 2),
                    status: status)
            }
            try await month(l0, try date(2024, 11, 1), paid: "900.00", .paid)
            try await month(l0, try date(2024, 12, 1), .late)
            try await month(l1, try date(2025, 1, 1), paid: "1000.00", .paid)
            try await month(l1, try date(2025, 2, 1), paid: "1000.00", .paid)
            try await month(l1, try date(2025, 3, 1), paid: "400.00", .partial)
            try await month(l1, try date(2025, 4, 1), .late)
            try await month(l1, try date(2025, 5, 1), paid: "1000.00", .paid)
            try await month(l1, try date(2025, 6, 1), .due)
            try await month(l1, try date(2025, 7, 1), .due)  // charged ahead: not due by June 30
            try await month(l4, try date(2025, 5, 1), paid: "800.50", .paid)
            try await month(l4, try date(2025, 6, 1), .due)  // due June 28
            return [
                "L0": l0.id, "L1": l1.id, "L4": l4.id, "Ada": ada.id, "Bob": bob.id, "Cy": cy.id,
            ]
        }
    }

    /// Another organization with a lease that owes a month.
    static func seedOther(_ store: FinancbaseStore, _ context: TenantContext) async throws {
        try await store.withTenant(context) { repos in
            let estate = try await RealEstateFixture.make(repos, name: "Other Tower")
            let lease = try await repos.leases.create(
                unitID: estate.units[0].id, renterID: estate.renters[0].id,
                startsOn: try date(2025, 1, 1),
                endsOn: try date(2025, 12, 31), monthlyRent: 5_000, status: .active)
            _ = try await repos.rentPayments.create(
                leaseID: lease.id, periodMonth: try date(2025, 1, 1), status: .late)
        }
    }

    @Test(
        "occupancy counts the units an active lease covers on the day, per property, with the rate")
    func occupancy() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            _ = try await Self.seed(store, tenant.context)
            try await Self.seedOther(
                store, try await TenantFixture.make(in: store, name: "Other").context)
            try await store.withTenant(tenant.context) { repos in
                let june30 = try await repos.properties.occupancy(asOf: try date(2025, 6, 30))
                #expect(
                    june30.map {
                        "\($0.propertyName) \($0.units) \($0.occupied) \($0.rate?.description ?? "-")"
                    } == [
                        "Alpha Court 3 1 0.3333", "Beta House 1 1 1.0000", "Cedar Lot 0 0 -",
                    ])
                // A day later B1's lease is over and A2's has begun.
                let july1 = try await repos.properties.occupancy(asOf: try date(2025, 7, 1))
                #expect(
                    july1.map { "\($0.propertyName) \($0.occupied)" } == [
                        "Alpha Court 2", "Beta House 0", "Cedar Lot 0",
                    ])
            }
        }
    }

    @Test(
        "the rent roll lists every unit with the active lease covering the day, vacant ones without"
    )
    func rentRoll() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let ids = try await Self.seed(store, tenant.context)
            try await Self.seedOther(
                store, try await TenantFixture.make(in: store, name: "Other").context)
            try await store.withTenant(tenant.context) { repos in
                let roll = try await repos.leases.rentRoll(asOf: try date(2025, 6, 30))
                #expect(
                    roll.map { line in
                        [
                            line.propertyName, line.unitLabel, line.renterName ?? "vacant",
                            line.monthlyRent?.description ?? "-",
                            line.leaseEnd?.description ?? "-", line.currency,
                        ].joined(separator: " ")
                    } == [
                        "Alpha Court A1 Ada 1000.00 2025-12-31 USD",
                        "Alpha Court A2 vacant - - USD",
                        "Alpha Court A3 vacant - - USD",
                        "Beta House B1 Bob 800.50 2025-06-30 USD",
                    ])
                #expect(roll[0].leaseID == ids["L1"] && roll[0].renterID == ids["Ada"])
                #expect(
                    roll[3].leaseID == ids["L4"] && roll[1].leaseID == nil
                        && roll[1].marketRent.description == "1000.00")
            }
        }
    }

    @Test(
        "arrears: per lease, the months due by the day less what was paid, with the oldest unpaid month"
    )
    func arrears() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let ids = try await Self.seed(store, tenant.context)
            try await Self.seedOther(
                store, try await TenantFixture.make(in: store, name: "Other").context)
            try await store.withTenant(tenant.context) { repos in
                func summary(_ rows: [LeaseArrears]) -> [String] {
                    rows.map {
                        "\($0.renterName) \($0.propertyName) \($0.unitLabel) \($0.unpaidPeriods) \($0.due) \($0.paid) "
                            + "\($0.balance) \($0.oldestUnpaidPeriod)"
                    }
                }
                // L1: March (600.00 left), April (1000.00), June (1000.00, due the 1st); July is not due yet.
                // L0: December 2024 (900.00). L4: June (800.50), due the 28th.
                let june30 = try await repos.rentPayments.arrears(asOf: try date(2025, 6, 30))
                #expect(
                    summary(june30) == [
                        "Ada Alpha Court A1 3 3000.00 400.00 2600.00 2025-03-01",
                        "Cy Alpha Court A1 1 900.00 0.00 900.00 2024-12-01",
                        "Bob Beta House B1 1 800.50 0.00 800.50 2025-06-01",
                    ])
                #expect(
                    june30.map(\.leaseID) == [ids["L1"], ids["L0"], ids["L4"]].compactMap { $0 })
                // On the 27th, B1's June is not due yet.
                let june27 = try await repos.rentPayments.arrears(asOf: try date(2025, 6, 27))
                #expect(summary(june27).map { String($0.prefix(3)) } == ["Ada", "Cy "])
                // In January 2025 only December's rent was owed.
                let january = try await repos.rentPayments.arrears(asOf: try date(2025, 1, 15))
                #expect(summary(january) == ["Cy Alpha Court A1 1 900.00 0.00 900.00 2024-12-01"])
            }
        }
    }

    @Test("a saved rent-roll report runs the rent roll on its as_of day and keeps its lines")
    func rentRollReport() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            _ = try await Self.seed(store, tenant.context)
            try await store.withTenant(tenant.context) { repos in
                let report = try await repos.reports.define(
                    name: "Rent roll", kind: .rentRoll, parameters: PGJSON(#"{"as_of": "2025-06-30"}"#))
                let run = try await repos.reports.run(report.id)
                #expect(run.status == .succeeded && run.rowCount == 4)
                let rows = try #require(run.result?.text)
                #expect(rows.contains(#""renter_name": "Ada""#) && rows.contains(#""monthly_rent": 800.50"#))
                let undated = try await repos.reports.define(name: "Rent roll, no day", kind: .rentRoll)
                let failed = try await repos.reports.run(undated.id)
                #expect(failed.status == .failed && failed.error?.contains("as_of") == true)
            }
        }
    }
}
