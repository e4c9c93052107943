import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// A planned month of rent: what was paid of it, when, and where it stands.
    struct PlannedCharge {
        let month: SeedMonth
        var paidCents: Int64
        var paidOn: PGDate?
        var status: RentPaymentStatus
    }

    /// A planned lease of a unit to the renter at `renter` (an index into the planned renters).
    struct PlannedLease {
        let renter: Int
        let start: SeedMonth
        let months: Int
        let status: LeaseStatus
        let rentCents: Int64
        let paymentDay: Int
        var charges: [PlannedCharge]

        var end: SeedMonth { start.adding(months - 1) }
    }

    /// A planned unit and its leases, oldest first.
    struct PlannedUnit {
        let label: String
        let bedrooms: Int
        let areaM2: Int
        let rentCents: Int64
        let status: RentalUnitStatus
        var leases: [PlannedLease]
    }

    /// A planned property and its units.
    struct PlannedProperty {
        let template: SeedCatalog.PropertyTemplate
        let number: Int
        let city: String
        let purchaseCents: Int64
        let purchasedOn: PGDate
        var units: [PlannedUnit]
    }

    /// A planned maintenance request for unit `unit` of property `property`, reported by user
    /// `reporter` (an index into the organization's users).
    struct PlannedRepair {
        let property: Int
        let unit: Int
        let repair: SeedCatalog.RepairTemplate
        let status: MaintenanceStatus
        let opened: Date
        let closed: Date?
        let costCents: Int64?
        let reporter: Int
    }

    /// `2 × scale` properties bought over the last twelve years, 4 to 8 units each. Most units
    /// are let (a past lease, then the active one, sometimes to the same renter); some stand
    /// vacant, some in maintenance, some wait for a drafted lease. Each lease is charged month by
    /// month to this one: older months paid, recent ones sometimes partly or not at all, so the
    /// arrears show. Properties are the admin's to write; a property manager (a user) writes
    /// units, renters, leases and rent; repairs are reported by the admin and users alike.
    mutating func seedRealEstate() async throws {
        var renters: [(name: String, email: String, phone: String)] = []
        let properties = planProperties(renters: &renters)
        let repairs = planRepairs(properties)
        let unitIDs = try await writeProperties(properties, renters: renters)
        try await writeRepairs(repairs, unitIDs: unitIDs)
        let units = properties.flatMap(\.units)
        let leases = units.flatMap(\.leases)
        report("properties", properties.count)
        report("units", units.count)
        report("renters", renters.count)
        report("leases", leases.count)
        report("rent_payments", leases.reduce(0) { $0 + $1.charges.count })
        report("maintenance_requests", repairs.count)
    }

    /// The users who report repairs: the admin and the active users (role `user`).
    private var reporters: [Int] { [0] + Array((SeedPeople.inactiveIndex + 1)..<userIDs.count) }

    private mutating func planProperties(
        renters: inout [(name: String, email: String, phone: String)]
    )
        -> [PlannedProperty]
    {
        let cities =
            currency == "EUR"
            ? ["Berlin", "Hamburg", "Munich"] : ["New York", "Austin", "Seattle"]
        let offset = random.int(in: 0...(SeedCatalog.propertyTemplates.count - 1))
        var properties: [PlannedProperty] = []
        for index in 0..<(2 * scale) {
            let template = SeedCatalog.propertyTemplates[
                (offset + index) % SeedCatalog.propertyTemplates.count]
            var property = PlannedProperty(
                template: template, number: index / SeedCatalog.propertyTemplates.count + 1,
                city: random.element(of: cities),
                purchaseCents: Int64(random.int(in: 40...300)) * 10_000_00,
                purchasedOn: day(-random.int(in: 400...4_300)), units: [])
            for unit in 0..<random.int(in: 4...8) {
                property.units.append(planUnit(unit, of: template, renters: &renters))
            }
            properties.append(property)
        }
        Self.ensureArrears(&properties, today: today)
        return properties
    }

    /// Unit `index` of a property made from `template`, with its leases and their rent.
    private mutating func planUnit(
        _ index: Int, of template: SeedCatalog.PropertyTemplate,
        renters: inout [(name: String, email: String, phone: String)]
    ) -> PlannedUnit {
        let thisMonth = SeedMonth(containing: today)
        let floor = index / 2 + 1
        let label =
            template.unitPrefix == "Suite"
            ? "Suite \(floor)0\(index % 2 + 1)"
            : "\(template.unitPrefix) \(floor)\(index % 2 == 0 ? "A" : "B")"
        let commercial = template.kind == .commercial
        let rentCents = random.cents(in: template.rentCents) / 500 * 500
        let bedrooms = commercial ? 0 : random.int(in: 0...3)
        let area =
            commercial ? random.int(in: 60...240) : 30 + bedrooms * 22 + random.int(in: 0...15)
        let roll = random.int(in: 0...99)
        let status: RentalUnitStatus =
            roll < 72 ? .occupied : roll < 92 && roll >= 84 ? .maintenance : .vacant

        // The lease before: twelve months (sometimes cut short), ended at least two months ago.
        let pastStart = thisMonth.adding(-random.int(in: 14...26))
        let terminated = random.chance(10)
        let pastRenter = newRenter(&renters)
        var leases = [
            planLease(
                renter: pastRenter, start: pastStart,
                months: terminated ? random.int(in: 6...11) : 12,
                status: terminated ? .terminated : .ended, rentCents: rentCents * 96 / 100)
        ]
        if status == .occupied {
            let start = leases[0].end.adding(1 + random.int(in: 0...1))
            let months = start.adding(11) >= thisMonth ? 12 : 24
            let renter = random.chance(40) ? pastRenter : newRenter(&renters)
            leases.append(
                planLease(
                    renter: renter, start: start, months: months, status: .active,
                    rentCents: rentCents))
        } else if roll >= 92 {
            // A lease drafted for next month.
            leases.append(
                planLease(
                    renter: newRenter(&renters), start: thisMonth.adding(1), months: 12,
                    status: .draft,
                    rentCents: rentCents))
        }
        return PlannedUnit(
            label: label, bedrooms: bedrooms, areaM2: area, rentCents: rentCents, status: status,
            leases: leases)
    }

    /// A renter with a name from the catalog; returns its index.
    private mutating func newRenter(_ renters: inout [(name: String, email: String, phone: String)])
        -> Int
    {
        let first = random.element(of: SeedCatalog.firstNames)
        let last = random.element(of: SeedCatalog.lastNames)
        let number = renters.count + 1
        renters.append(
            (
                "\(first) \(last)", "\(first).\(last).\(number)@renters.example".lowercased(),
                "+1 555 01\(Self.zeroPadded(number % 100, width: 2))"
            ))
        return renters.count - 1
    }

    /// A lease and, unless it is a draft, its months up to this one.
    private mutating func planLease(
        renter: Int, start: SeedMonth, months: Int, status: LeaseStatus, rentCents: Int64
    ) -> PlannedLease {
        let paymentDay = random.element(of: [1, 1, 1, 5, 15, 28])
        var lease = PlannedLease(
            renter: renter, start: start, months: months, status: status, rentCents: rentCents,
            paymentDay: paymentDay, charges: [])
        guard status != .draft else { return lease }
        let thisMonth = SeedMonth(containing: today)
        var month = start
        while month <= min(lease.end, thisMonth) {
            let due = month.day(paymentDay)
            let recent = month.months(to: thisMonth) < 3
            var charge = PlannedCharge(
                month: month, paidCents: rentCents, paidOn: nil, status: .paid)
            if due > today {
                charge = PlannedCharge(month: month, paidCents: 0, paidOn: nil, status: .due)
            } else if status == .active && recent && random.chance(15) {
                charge.status = random.chance(50) ? .late : .partial
                charge.paidCents =
                    charge.status == .late ? 0 : rentCents * Int64(random.int(in: 40...70)) / 100
            }
            if charge.paidCents > 0 {
                let paid = PGDate(daysSince2000: due.daysSince2000 + Int32(random.int(in: -3...6)))
                charge.paidOn = min(paid, today)
            }
            lease.charges.append(charge)
            month = month.adding(1)
        }
        return lease
    }

    /// Makes sure some lease is in arrears, whatever the draws: when none is, the latest month
    /// past its payment day of the first active lease goes unpaid. Draws nothing.
    static func ensureArrears(_ properties: inout [PlannedProperty], today: PGDate) {
        let owed = properties.contains { property in
            property.units.contains { unit in
                unit.leases.contains { lease in
                    lease.charges.contains { $0.status == .late || $0.status == .partial }
                }
            }
        }
        guard !owed else { return }
        for (p, property) in properties.enumerated() {
            for (u, unit) in property.units.enumerated() {
                for (l, lease) in unit.leases.enumerated() where lease.status == .active {
                    guard let c = lease.charges.lastIndex(where: { $0.status == .paid }) else {
                        continue
                    }
                    properties[p].units[u].leases[l].charges[c] = PlannedCharge(
                        month: lease.charges[c].month, paidCents: 0, paidOn: nil, status: .late)
                    return
                }
            }
        }
    }

    /// Up to two repairs per unit over the last ten months: the older ones done (with a cost)
    /// or cancelled, the recent ones open, in progress or done; a unit in maintenance has an
    /// urgent one open.
    private mutating func planRepairs(_ properties: [PlannedProperty]) -> [PlannedRepair] {
        var repairs: [PlannedRepair] = []
        let reporters = self.reporters
        for (p, property) in properties.enumerated() {
            for (u, unit) in property.units.enumerated() {
                var count = random.int(in: 0...2)
                if unit.status == .maintenance { count = max(count, 1) }
                for number in 0..<count {
                    var repair = random.element(of: SeedCatalog.repairs)
                    let age = random.int(in: 1...300)
                    let opened = Self.instant(
                        day(-age), hour: random.int(in: 8...17), minute: random.int(in: 0...59))
                    var status: MaintenanceStatus =
                        age > 30
                        ? (random.chance(88) ? .done : .cancelled)
                        : random.element(of: [.open, .inProgress, .done])
                    if unit.status == .maintenance && number == 0 {
                        repair = SeedCatalog.RepairTemplate(
                            title: "Water damage repairs", priority: .urgent, costCents: 0...0)
                        status = .inProgress
                    }
                    let closed =
                        status == .done || status == .cancelled
                        ? opened.addingTimeInterval(
                            TimeInterval(random.int(in: 2...max(2, 24 * min(age, 20) - 18)) * 3_600)
                        )
                        : nil
                    repairs.append(
                        PlannedRepair(
                            property: p, unit: u, repair: repair, status: status, opened: opened,
                            closed: closed,
                            costCents: status == .done ? random.cents(in: repair.costCents) : nil,
                            reporter: random.element(of: reporters)))
                }
            }
        }
        return repairs
    }

    /// The properties as the admin; their units, renters, leases and rent as the property
    /// manager (the first user with role `user`). Returns the units' ids, by property.
    private func writeProperties(
        _ properties: [PlannedProperty], renters: [(name: String, email: String, phone: String)]
    ) async throws -> [[UUID]] {
        let (currency, country) = (currency, currency == "EUR" ? "DE" : "US")
        let propertyIDs = try await store.withTenant(admin) { repos in
            var ids: [UUID] = []
            for property in properties {
                let name =
                    property.number == 1
                    ? property.template.name : "\(property.template.name) \(property.number)"
                ids.append(
                    try await repos.properties.create(
                        name: name, address: "\(10 + ids.count * 17) \(property.template.street)",
                        city: property.city, country: country, kind: property.template.kind,
                        purchasePrice: Self.money(property.purchaseCents), currency: currency,
                        purchasedOn: property.purchasedOn
                    ).id)
            }
            return ids
        }
        let manager = TenantContext(
            userID: userIDs[SeedPeople.inactiveIndex + 1], organizationID: admin.organizationID)
        return try await store.withTenant(manager) { repos in
            var renterIDs: [UUID] = []
            for renter in renters {
                renterIDs.append(
                    try await repos.renters.create(
                        name: renter.name, email: renter.email, phone: renter.phone
                    ).id)
            }
            var unitIDs: [[UUID]] = []
            for (property, propertyID) in zip(properties, propertyIDs) {
                var ids: [UUID] = []
                for unit in property.units {
                    let created = try await repos.units.create(
                        propertyID: propertyID, label: unit.label, bedrooms: Int32(unit.bedrooms),
                        areaM2: PGNumeric(Int64(unit.areaM2)),
                        marketRent: Self.money(unit.rentCents),
                        currency: currency, status: unit.status)
                    ids.append(created.id)
                    for lease in unit.leases {
                        try await Self.writeLease(
                            lease, unit: created.id, renters: renterIDs, currency: currency, repos)
                    }
                }
                unitIDs.append(ids)
            }
            return unitIDs
        }
    }

    /// Writes `lease` of `unit` and its months.
    private static func writeLease(
        _ lease: PlannedLease, unit: UUID, renters: [UUID], currency: String,
        _ repos: TenantRepositories
    ) async throws {
        let created = try await repos.leases.create(
            unitID: unit, renterID: renters[lease.renter], startsOn: lease.start.first,
            endsOn: lease.end.last,
            monthlyRent: money(lease.rentCents), currency: currency,
            deposit: money(lease.rentCents * 2),
            status: lease.status, paymentDay: Int32(lease.paymentDay))
        for charge in lease.charges {
            _ = try await repos.rentPayments.create(
                leaseID: created.id, periodMonth: charge.month.first,
                amountPaid: money(charge.paidCents),
                paidOn: charge.paidOn, status: charge.status)
        }
    }

    /// Each repair, in a unit of work acting as its reporter.
    private func writeRepairs(_ repairs: [PlannedRepair], unitIDs: [[UUID]]) async throws {
        let currency = self.currency
        for reporter in Set(repairs.map(\.reporter)).sorted() {
            let context = TenantContext(
                userID: userIDs[reporter], organizationID: admin.organizationID)
            let reported = repairs.filter { $0.reporter == reporter }
            try await store.withTenant(context) { repos in
                for repair in reported {
                    _ = try await repos.maintenanceRequests.create(
                        unitID: unitIDs[repair.property][repair.unit], title: repair.repair.title,
                        priority: repair.repair.priority, status: repair.status,
                        cost: repair.costCents.map(Self.money), currency: currency,
                        openedAt: repair.opened,
                        closedAt: repair.closed)
                }
            }
        }
    }
}
