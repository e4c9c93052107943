public import FoundationEssentials
public import PGWire
import PGClient

/// The leases of the current organization's units, and the rent roll; every member writes them.
public struct LeaseRepository: Sendable {
    let session: TenantSession

    /// Lets the unit `unitID` to the renter `renterID` from `startsOn` to `endsOn` (both included).
    ///
    /// ```swift
    /// let lease = try await repos.leases.create(
    ///     unitID: unit.id, renterID: renter.id, startsOn: PGDate(year: 2025, month: 1, day: 1)!,
    ///     endsOn: PGDate(year: 2025, month: 12, day: 31)!, monthlyRent: 1_450, deposit: 2_900, status: .active)
    /// ```
    ///
    /// - Throws: `PGError` with SQLSTATE 23P01 (exclusion violation) for an active lease whose
    ///   term meets another active lease of the unit; 23503 for a unit or renter of another
    ///   organization (or none); 23514 for an end not after the start, a rent that is not
    ///   positive, a negative deposit, a payment day outside 1–28 or a malformed currency;
    ///   42501 for a viewer.
    public func create(
        unitID: UUID, renterID: UUID, startsOn: PGDate, endsOn: PGDate, monthlyRent: PGNumeric,
        currency: String = "USD", deposit: PGNumeric = .zero, status: LeaseStatus = .draft,
        paymentDay: Int32 = 1, notes: String? = nil
    ) async throws -> Lease {
        let context = session.context
        return try await session.record(
            Lease.self, "leases.create", entity: "units", id: unitID,
            """
            INSERT INTO financbase.leases
                (organization_id, unit_id, renter_id, starts_on, ends_on, monthly_rent, currency, deposit, status,
                 payment_day, notes)
            VALUES (\(context.organizationID), \(unitID), \(renterID), \(startsOn), \(endsOn), \(monthlyRent),
                    \(currency), \(deposit), \(status), \(paymentDay), \(notes))
            RETURNING \(columnsOf: Lease.self)
            """)
    }

    /// The lease with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Lease {
        try await session.fetch(Lease.self, "leases.get", id: id)
    }

    /// The leases of the unit with `unitID`, by start (none for an unknown unit).
    public func forUnit(_ unitID: UUID) async throws -> [Lease] {
        try await session.records(
            Lease.self, "leases.forUnit",
            "SELECT \(columnsOf: Lease.self) FROM financbase.leases WHERE unit_id = \(unitID) ORDER BY starts_on, id"
        )
    }

    /// Saves every changeable field of `lease` (activating it, ending it, renewing its term).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` as ``create(unitID:renterID:startsOn:endsOn:monthlyRent:currency:deposit:status:paymentDay:notes:)``.
    public func update(_ lease: Lease) async throws -> Lease {
        try await session.record(
            Lease.self, "leases.update", entity: "leases", id: lease.id,
            """
            UPDATE financbase.leases
            SET unit_id = \(lease.unitID), renter_id = \(lease.renterID), starts_on = \(lease.startsOn),
                ends_on = \(lease.endsOn), monthly_rent = \(lease.monthlyRent), currency = \(lease.currency),
                deposit = \(lease.deposit), status = \(lease.status), payment_day = \(lease.paymentDay),
                notes = \(lease.notes)
            WHERE id = \(lease.id) RETURNING \(columnsOf: Lease.self)
            """)
    }

    /// Deletes the lease with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (23503) while rent payments
    ///   reference it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("leases.delete", table: "leases", id: id)
    }

    /// A page of leases in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Lease> {
        try await session.page(Lease.self, "leases.list", after: cursor, limit: limit)
    }

    /// The rent roll on `asOf`: every unit, by property and label, with the active lease that
    /// covers that day and its renter, rent, deposit and term; a unit no such lease covers is
    /// listed vacant, without a lease.
    public func rentRoll(asOf: PGDate) async throws -> [RentRollLine] {
        try await session.records(
            RentRollLine.self, "leases.rentRoll", Self.rentRollQuery(asOf: asOf))
    }

    /// The statement of ``rentRoll(asOf:)``, as sent; the plan tests explain it.
    static func rentRollQuery(asOf: PGDate) -> PGQuery {
        """
        SELECT p.id AS property_id, p.name AS property_name, u.id AS unit_id, u.label AS unit_label,
               u.status AS unit_status, u.market_rent, l.id AS lease_id, r.id AS renter_id, r.name AS renter_name,
               l.monthly_rent, l.deposit, l.starts_on AS lease_start, l.ends_on AS lease_end,
               coalesce(l.currency, u.currency) AS currency
        FROM financbase.units u
        JOIN financbase.properties p ON p.organization_id = u.organization_id AND p.id = u.property_id
        LEFT JOIN financbase.leases l ON l.organization_id = u.organization_id AND l.unit_id = u.id
            AND l.status = 'active' AND l.starts_on <= \(asOf) AND l.ends_on >= \(asOf)
        LEFT JOIN financbase.renters r ON r.organization_id = l.organization_id AND r.id = l.renter_id
        ORDER BY p.name, p.id, u.label, u.id
        """
    }
}

extension TenantRepositories {
    /// The leases of the current organization's units.
    public var leases: LeaseRepository { LeaseRepository(session: session) }
}
