public import FoundationEssentials
public import PGWire
import PGClient

/// The lettable units of the current organization's properties; every member writes them.
public struct RentalUnitRepository: Sendable {
    let session: TenantSession

    /// Adds a unit to the property with `propertyID`.
    ///
    /// - Throws: `PGError` with SQLSTATE 23503 for a property of another organization (or none);
    ///   23505 for a label the property already uses; 23514 for an empty label, negative
    ///   bedrooms or rent, an area that is not positive or a malformed currency; 42501 for a
    ///   viewer.
    public func create(
        propertyID: UUID, label: String, bedrooms: Int32 = 0, areaM2: PGNumeric,
        marketRent: PGNumeric,
        currency: String = "USD", status: RentalUnitStatus = .vacant
    ) async throws -> RentalUnit {
        let context = session.context
        return try await session.record(
            RentalUnit.self, "units.create", entity: "properties", id: propertyID,
            """
            INSERT INTO financbase.units
                (organization_id, property_id, label, bedrooms, area_m2, market_rent, currency, status)
            VALUES (\(context.organizationID), \(propertyID), \(label), \(bedrooms), \(areaM2), \(marketRent),
                    \(currency), \(status))
            RETURNING \(columnsOf: RentalUnit.self)
            """)
    }

    /// The unit with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> RentalUnit {
        try await session.fetch(RentalUnit.self, "units.get", id: id)
    }

    /// The units of the property with `propertyID`, by label (none for an unknown property).
    public func forProperty(_ propertyID: UUID) async throws -> [RentalUnit] {
        try await session.records(
            RentalUnit.self, "units.forProperty",
            """
            SELECT \(columnsOf: RentalUnit.self) FROM financbase.units
            WHERE property_id = \(propertyID) ORDER BY label, id
            """)
    }

    /// Saves every changeable field of `unit`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a violated constraint.
    public func update(_ unit: RentalUnit) async throws -> RentalUnit {
        try await session.record(
            RentalUnit.self, "units.update", entity: "units", id: unit.id,
            """
            UPDATE financbase.units
            SET property_id = \(unit.propertyID), label = \(unit.label), bedrooms = \(unit.bedrooms),
                area_m2 = \(unit.areaM2), market_rent = \(unit.marketRent), currency = \(unit.currency),
                status = \(unit.status)
            WHERE id = \(unit.id) RETURNING \(columnsOf: RentalUnit.self)
            """)
    }

    /// Deletes the unit with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (23503) while leases or
    ///   maintenance requests reference it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("units.delete", table: "units", id: id)
    }

    /// A page of units in the order they were added.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<RentalUnit>
    {
        try await session.page(RentalUnit.self, "units.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The lettable units of the current organization's properties.
    public var units: RentalUnitRepository { RentalUnitRepository(session: session) }
}
