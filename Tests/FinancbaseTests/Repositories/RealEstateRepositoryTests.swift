import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Repositories: real estate")
struct RealEstateRepositoryTests {
    @Test(
        "properties, units, renters, leases, rent months and repairs round-trip; deleted rows are not found"
    )
    func roundTrips() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                let estate = try await RealEstateFixture.make(repos)
                var property = try await repos.properties.get(estate.property.id)
                #expect(property == estate.property)
                #expect(property.purchasePrice.description == "1250000.00")
                property.notes = "Roof redone in 2023"
                property.kind = .mixed
                let savedProperty = try await repos.properties.update(property)
                #expect(
                    savedProperty.notes == "Roof redone in 2023" && savedProperty.kind == .mixed)

                #expect(
                    try await repos.units.forProperty(estate.property.id).map(\.label) == [
                        "Apt 1A", "Apt 1B", "Apt 2A",
                    ])
                var unit = estate.units[0]
                #expect(unit.areaM2.description == "64.50" && unit.status == .vacant)
                unit.status = .maintenance
                unit.marketRent = try numeric("1500.00")
                #expect(try await repos.units.update(unit).status == .maintenance)

                var renter = estate.renters[1]
                renter.phone = "+44 20 7946 0000"
                #expect(try await repos.renters.update(renter).phone == "+44 20 7946 0000")

                var lease = try await repos.leases.create(
                    unitID: unit.id, renterID: renter.id, startsOn: try date(2025, 1, 1),
                    endsOn: try date(2025, 12, 31),
                    monthlyRent: try numeric("1450.00"), deposit: try numeric("2900.00"),
                    paymentDay: 5)
                #expect(lease.status == .draft && lease.paymentDay == 5 && lease.currency == "USD")
                lease.status = .active
                lease = try await repos.leases.update(lease)
                #expect(try await repos.leases.forUnit(unit.id).map(\.id) == [lease.id])

                // The month takes the lease's rent and currency; payments move it to partial, then paid.
                let january = try await repos.rentPayments.create(
                    leaseID: lease.id, periodMonth: try date(2025, 1, 1))
                #expect(
                    january.amountDue.description == "1450.00" && january.status == .due
                        && january.paidOn == nil)
                let partly = try await repos.rentPayments.record(
                    try numeric("450.00"), on: try date(2025, 1, 6), to: january.id)
                #expect(partly.status == .partial && partly.amountPaid.description == "450.00")
                let paid = try await repos.rentPayments.record(
                    try numeric("1000.00"), on: try date(2025, 1, 9), to: january.id)
                let ninth = try date(2025, 1, 9)
                #expect(
                    paid.status == .paid && paid.amountPaid.description == "1450.00"
                        && paid.paidOn == ninth)
                var february = try await repos.rentPayments.create(
                    leaseID: lease.id, periodMonth: try date(2025, 2, 1),
                    amountDue: try numeric("1400.00"))
                february.status = .late
                #expect(try await repos.rentPayments.update(february).status == .late)
                #expect(
                    try await repos.rentPayments.forLease(lease.id).map(\.periodMonth) == [
                        try date(2025, 1, 1), try date(2025, 2, 1),
                    ])
                await #expect(throws: RepositoryError.self) {
                    try await repos.rentPayments.record(
                        .zero, on: try date(2025, 2, 6), to: february.id)
                }

                let opened = Date(timeIntervalSince1970: 1_736_000_000)
                var repair = try await repos.maintenanceRequests.create(
                    unitID: unit.id, title: "Leaking tap", priority: .high, openedAt: opened)
                #expect(
                    repair.reportedBy == tenant.context.userID && repair.status == .open
                        && repair.closedAt == nil)
                repair.status = .done
                repair.cost = try numeric("180.00")
                repair.closedAt = opened.addingTimeInterval(86_400)
                repair = try await repos.maintenanceRequests.update(repair)
                #expect(repair.status == .done && repair.cost?.description == "180.00")
                #expect(
                    try await repos.maintenanceRequests.forUnit(unit.id).map(\.id) == [repair.id])

                // Deleting children first; each deleted row is then not found.
                try await repos.maintenanceRequests.delete(repair.id)
                try await repos.rentPayments.delete(february.id)
                await #expect(
                    throws: RepositoryError.notFound(entity: "rent_payments", id: february.id)
                ) {
                    try await repos.rentPayments.get(february.id)
                }
                await #expect(
                    throws: RepositoryError.notFound(entity: "maintenance_requests", id: repair.id)
                ) {
                    try await repos.maintenanceRequests.delete(repair.id)
                }
                let spare = estate.units[2]
                try await repos.units.delete(spare.id)
                await #expect(throws: RepositoryError.notFound(entity: "units", id: spare.id)) {
                    try await repos.units.get(spare.id)
                }
                let unknown = UUID()
                await #expect(throws: RepositoryError.notFound(entity: "leases", id: unknown)) {
                    try await repos.leases.get(unknown)
                }
                await #expect(throws: RepositoryError.notFound(entity: "leases", id: unknown)) {
                    try await repos.rentPayments.create(
                        leaseID: unknown, periodMonth: try date(2025, 3, 1))
                }
            }
            // Rows still referenced cannot go: the foreign keys keep them (23503).
            let kept = await store.refusal(as: tenant.context) { repos in
                let lease = try #require(try await repos.leases.list().rows.first)
                try await repos.leases.delete(lease.id)
            }
            #expect(kept == .foreignKeyViolation)
        }
    }

    @Test(
        "two active leases of one unit cannot overlap (23P01); one may follow the other's last day, drafts may overlap"
    )
    func activeLeasesDoNotOverlap() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let estate = try await store.withTenant(tenant.context) { repos in
                let estate = try await RealEstateFixture.make(repos)
                _ = try await repos.leases.create(
                    unitID: estate.units[0].id, renterID: estate.renters[0].id,
                    startsOn: try date(2025, 1, 1),
                    endsOn: try date(2025, 6, 30), monthlyRent: try numeric("1450.00"),
                    status: .active)
                // The day after the last one: no overlap.
                _ = try await repos.leases.create(
                    unitID: estate.units[0].id, renterID: estate.renters[1].id,
                    startsOn: try date(2025, 7, 1),
                    endsOn: try date(2026, 6, 30), monthlyRent: try numeric("1500.00"),
                    status: .active)
                // A draft over both, and an active lease of another unit at the same time.
                _ = try await repos.leases.create(
                    unitID: estate.units[0].id, renterID: estate.renters[1].id,
                    startsOn: try date(2025, 3, 1),
                    endsOn: try date(2026, 2, 28), monthlyRent: try numeric("1500.00"),
                    status: .draft)
                _ = try await repos.leases.create(
                    unitID: estate.units[1].id, renterID: estate.renters[1].id,
                    startsOn: try date(2025, 3, 1),
                    endsOn: try date(2026, 2, 28), monthlyRent: try numeric("1500.00"),
                    status: .active)
                return estate
            }
            // The last day of the first lease is also a day of this one.
            let overlapping = await store.refusal(as: tenant.context) { repos in
                _ = try await repos.leases.create(
                    unitID: estate.units[0].id, renterID: estate.renters[0].id,
                    startsOn: try date(2025, 6, 30),
                    endsOn: try date(2025, 8, 31), monthlyRent: try numeric("1450.00"),
                    status: .active)
            }
            #expect(overlapping == .exclusionViolation)
            // Activating the draft that overlaps both active leases is refused too.
            let activated = await store.refusal(as: tenant.context) { repos in
                var draft = try #require(
                    try await repos.leases.forUnit(estate.units[0].id).first { $0.status == .draft }
                )
                draft.status = .active
                _ = try await repos.leases.update(draft)
            }
            #expect(activated == .exclusionViolation)
        }
    }

    @Test("bad values are refused by the server, each with its SQLSTATE")
    func badValuesAreRefused() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let (estate, lease) = try await store.withTenant(tenant.context) { repos in
                let estate = try await RealEstateFixture.make(repos)
                let lease = try await repos.leases.create(
                    unitID: estate.units[0].id, renterID: estate.renters[0].id,
                    startsOn: try date(2025, 1, 1),
                    endsOn: try date(2025, 12, 31), monthlyRent: try numeric("1450.00"),
                    status: .active)
                _ = try await repos.rentPayments.create(
                    leaseID: lease.id, periodMonth: try date(2025, 1, 1))
                return (estate, lease)
            }
            let context = tenant.context
            let attempts:
                [(String, SQLState, @Sendable (TenantRepositories) async throws -> Void)] = [
                    (
                        "a lease ending before it starts", .checkViolation,
                        { repos in
                            _ = try await repos.leases.create(
                                unitID: estate.units[1].id, renterID: estate.renters[0].id,
                                startsOn: try date(2025, 5, 1),
                                endsOn: try date(2025, 5, 1), monthlyRent: try numeric("100.00"))
                        }
                    ),
                    (
                        "payment day 29", .checkViolation,
                        { repos in
                            _ = try await repos.leases.create(
                                unitID: estate.units[1].id, renterID: estate.renters[0].id,
                                startsOn: try date(2025, 5, 1),
                                endsOn: try date(2026, 4, 30), monthlyRent: try numeric("100.00"),
                                paymentDay: 29)
                        }
                    ),
                    (
                        "a month that does not start on its first day", .checkViolation,
                        { repos in
                            _ = try await repos.rentPayments.create(
                                leaseID: lease.id, periodMonth: try date(2025, 2, 15))
                        }
                    ),
                    (
                        "a month charged twice", .uniqueViolation,
                        { repos in
                            _ = try await repos.rentPayments.create(
                                leaseID: lease.id, periodMonth: try date(2025, 1, 1))
                        }
                    ),
                    (
                        "paid with nothing paid", .checkViolation,
                        { repos in
                            _ = try await repos.rentPayments.create(
                                leaseID: lease.id, periodMonth: try date(2025, 3, 1), status: .paid)
                        }
                    ),
                    (
                        "a payment day without a payment", .checkViolation,
                        { repos in
                            _ = try await repos.rentPayments.create(
                                leaseID: lease.id, periodMonth: try date(2025, 3, 1),
                                paidOn: try date(2025, 3, 2))
                        }
                    ),
                    (
                        "a label the property already has", .uniqueViolation,
                        { repos in
                            _ = try await repos.units.create(
                                propertyID: estate.property.id, label: "Apt 1A", areaM2: 40,
                                marketRent: 900)
                        }
                    ),
                    (
                        "a unit without area", .checkViolation,
                        { repos in
                            _ = try await repos.units.create(
                                propertyID: estate.property.id, label: "Cellar", areaM2: 0,
                                marketRent: 0)
                        }
                    ),
                    (
                        "a renter's e-mail in other letters", .uniqueViolation,
                        { repos in
                            _ = try await repos.renters.create(
                                name: "Ada again", email: "ADA@renters.test")
                        }
                    ),
                    (
                        "a phone number of letters", .checkViolation,
                        { repos in
                            _ = try await repos.renters.create(name: "Bob", phone: "call me")
                        }
                    ),
                    (
                        "a country of three letters (char(2))", .stringDataRightTruncation,
                        { repos in
                            _ = try await repos.properties.create(
                                name: "Elsewhere", address: "1 Road", city: "Lyon", country: "FRA",
                                kind: .commercial,
                                purchasePrice: 1, purchasedOn: try date(2020, 1, 1))
                        }
                    ),
                    (
                        "a country in small letters", .checkViolation,
                        { repos in
                            _ = try await repos.properties.create(
                                name: "Elsewhere", address: "1 Road", city: "Lyon", country: "fr",
                                kind: .commercial,
                                purchasePrice: 1, purchasedOn: try date(2020, 1, 1))
                        }
                    ),
                    (
                        "a repair done without a close time", .checkViolation,
                        { repos in
                            _ = try await repos.maintenanceRequests.create(
                                unitID: estate.units[0].id, title: "Tap", status: .done)
                        }
                    ),
                ]
            for (what, state, attempt) in attempts {
                #expect(await store.refusal(as: context, attempt) == state, "\(what)")
            }
        }
    }

    @Test(
        "a viewer changes nothing, a user writes units but not properties: the server refuses with 42501"
    )
    func writersAreEnforced() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let (estate, user, viewer) = try await store.withTenant(tenant.context) { repos in
                let estate = try await RealEstateFixture.make(repos)
                let user = try await repos.users.create(
                    clerkID: "clerk_\(UUID())", email: "grace@acme.test")
                let viewer = try await repos.users.create(
                    clerkID: "clerk_\(UUID())", email: "vera@acme.test", role: .viewer)
                return (estate, user, viewer)
            }
            let asUser = TenantContext(
                userID: user.id, organizationID: tenant.context.organizationID)
            let asViewer = TenantContext(
                userID: viewer.id, organizationID: tenant.context.organizationID)
            let property = await store.refusal(as: asUser) { repos in
                _ = try await repos.properties.create(
                    name: "Mine", address: "2 Road", city: "Austin", country: "US",
                    kind: .residential,
                    purchasePrice: 1, purchasedOn: try date(2020, 1, 1))
            }
            #expect(property == .insufficientPrivilege)
            try await store.withTenant(asUser) { repos in
                _ = try await repos.units.create(
                    propertyID: estate.property.id, label: "Apt 3A", areaM2: 50, marketRent: 1_000)
                // Not the user's to change: the row stays out of its reach.
                await #expect(
                    throws: RepositoryError.notFound(entity: "properties", id: estate.property.id)
                ) {
                    try await repos.properties.update(estate.property)
                }
            }
            let renter = await store.refusal(as: asViewer) { repos in
                _ = try await repos.renters.create(name: "Viewer's friend")
            }
            #expect(renter == .insufficientPrivilege)
            try await store.withTenant(asViewer) { repos async throws in
                #expect(try await repos.units.forProperty(estate.property.id).count == 4)
            }
        }
    }

    @Test("another organization's unit, renter or lease cannot be referenced, read or changed")
    func crossTenantIsImpossible() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let acme = try await TenantFixture.make(in: store)
            let globex = try await TenantFixture.make(in: store, name: "Globex")
            let (mine, theirs, theirLease) = try await (
                store.withTenant(acme.context) { repos in try await RealEstateFixture.make(repos) },
                store.withTenant(globex.context) { repos in
                    try await RealEstateFixture.make(repos, name: "Globex Tower")
                },
                store.withTenant(globex.context) { repos in
                    let estate = try await repos.units.list().rows
                    let renter = try #require(try await repos.renters.list().rows.first)
                    return try await repos.leases.create(
                        unitID: estate[0].id, renterID: renter.id, startsOn: try date(2025, 1, 1),
                        endsOn: try date(2025, 12, 31), monthlyRent: 900, status: .active)
                }
            )
            // A lease of Acme naming Globex's unit or renter: the composite foreign keys refuse it.
            let unit = await store.refusal(as: acme.context) { repos in
                _ = try await repos.leases.create(
                    unitID: theirs.units[0].id, renterID: mine.renters[0].id,
                    startsOn: try date(2025, 1, 1),
                    endsOn: try date(2025, 12, 31), monthlyRent: 900)
            }
            #expect(unit == .foreignKeyViolation)
            let renter = await store.refusal(as: acme.context) { repos in
                _ = try await repos.leases.create(
                    unitID: mine.units[0].id, renterID: theirs.renters[0].id,
                    startsOn: try date(2025, 1, 1),
                    endsOn: try date(2025, 12, 31), monthlyRent: 900)
            }
            #expect(renter == .foreignKeyViolation)
            let moved = await store.refusal(as: acme.context) { repos in
                _ = try await repos.units.create(
                    propertyID: theirs.property.id, label: "Stolen", areaM2: 10, marketRent: 1)
            }
            #expect(moved == .foreignKeyViolation)
            try await store.withTenant(acme.context) { repos async throws in
                // Rent on Globex's lease: the lease is not Acme's to see.
                await #expect(throws: RepositoryError.notFound(entity: "leases", id: theirLease.id))
                {
                    try await repos.rentPayments.create(
                        leaseID: theirLease.id, periodMonth: try date(2025, 1, 1))
                }
                await #expect(
                    throws: RepositoryError.notFound(entity: "properties", id: theirs.property.id)
                ) {
                    try await repos.properties.delete(theirs.property.id)
                }
                #expect(
                    try await repos.leases.rentRoll(asOf: try date(2025, 6, 1)).allSatisfy {
                        $0.leaseID == nil
                    })
            }
        }
    }

    @Test("keyset pages over 120 rent months return every row once, in order")
    func rentMonthsPage() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let created = try await store.withTenant(tenant.context) { repos in
                let estate = try await RealEstateFixture.make(repos)
                let lease = try await repos.leases.create(
                    unitID: estate.units[0].id, renterID: estate.renters[0].id,
                    startsOn: try date(2015, 1, 1),
                    endsOn: try date(2024, 12, 31), monthlyRent: try numeric("1000.00"),
                    status: .ended)
                var ids: [UUID] = []
                for month in 0..<120 {
                    ids.append(
                        try await repos.rentPayments.create(
                            leaseID: lease.id,
                            periodMonth: try date(2015 + month / 12, month % 12 + 1, 1)
                        ).id)
                }
                return ids
            }
            var seen: [UUID] = []
            var cursor: Cursor?
            repeat {
                let page = try await store.withTenant(tenant.context) { repos in
                    try await repos.rentPayments.list(after: cursor, limit: 50)
                }
                seen += page.rows.map(\.id)
                cursor = page.next
            } while cursor != nil
            #expect(seen.count == 120)
            #expect(Set(seen) == Set(created))
            await #expect(throws: RepositoryError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.leases.list(limit: 1_001)
                }
            }
        }
    }
}
