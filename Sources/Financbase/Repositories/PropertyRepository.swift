public import FoundationEssentials
public import PGWire
import PGClient

/// The properties of the current organization, and how full they are. Only admins write them
/// (the server refuses anyone else); every member reads them.
public struct PropertyRepository: Sendable {
    let session: TenantSession

    /// Adds a property.
    ///
    /// - Throws: `PGError` with SQLSTATE 42501 for a context that is not an admin; 23505 for a
    ///   name the organization already uses; 23514 for an empty name, address or city, a
    ///   country that is not two capital letters, a negative price or a malformed currency.
    public func create(
        name: String, address: String, city: String, country: String, kind: PropertyKind,
        purchasePrice: PGNumeric, currency: String = "USD", purchasedOn: PGDate,
        notes: String? = nil
    ) async throws -> Property {
        let context = session.context
        return try await session.record(
            Property.self, "properties.create", entity: "properties", id: context.organizationID,
            """
            INSERT INTO financbase.properties
                (organization_id, name, address, city, country, kind, purchase_price, currency, purchased_on, notes)
            VALUES (\(context.organizationID), \(name), \(address), \(city), \(country), \(kind), \(purchasePrice),
                    \(currency), \(purchasedOn), \(notes))
            RETURNING \(columnsOf: Property.self)
            """)
    }

    /// The property with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Property {
        try await session.fetch(Property.self, "properties.get", id: id)
    }

    /// Saves every changeable field of `property`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` (also for a context that may not write
    ///   it: the row stays out of its reach); `PGError` for a violated constraint.
    public func update(_ property: Property) async throws -> Property {
        try await session.record(
            Property.self, "properties.update", entity: "properties", id: property.id,
            """
            UPDATE financbase.properties
            SET name = \(property.name), address = \(property.address), city = \(property.city),
                country = \(property.country), kind = \(property.kind), purchase_price = \(property.purchasePrice),
                currency = \(property.currency), purchased_on = \(property.purchasedOn), notes = \(property.notes)
            WHERE id = \(property.id) RETURNING \(columnsOf: Property.self)
            """)
    }

    /// Deletes the property with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (23503) while units reference it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("properties.delete", table: "properties", id: id)
    }

    /// A page of properties in the order they were added.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Property> {
        try await session.page(Property.self, "properties.list", after: cursor, limit: limit)
    }

    /// Every property with its units and those an active lease covers on `asOf` (its first
    /// day ≤ `asOf` ≤ its last day), by property name.
    public func occupancy(asOf: PGDate) async throws -> [PropertyOccupancy] {
        try await session.records(
            PropertyOccupancy.self, "properties.occupancy", Self.occupancyQuery(asOf: asOf))
    }

    /// The statement of ``occupancy(asOf:)``, as sent; the plan tests explain it. Active leases of
    /// a unit never overlap, so each unit counts at most once.
    static func occupancyQuery(asOf: PGDate) -> PGQuery {
        """
        SELECT p.id AS property_id, p.name AS property_name, count(u.id) AS units, count(l.unit_id) AS occupied,
               round(count(l.unit_id)::numeric / nullif(count(u.id), 0), 4) AS rate
        FROM financbase.properties p
        LEFT JOIN financbase.units u ON u.organization_id = p.organization_id AND u.property_id = p.id
        LEFT JOIN financbase.leases l ON l.organization_id = u.organization_id AND l.unit_id = u.id
            AND l.status = 'active' AND l.starts_on <= \(asOf) AND l.ends_on >= \(asOf)
        GROUP BY p.id, p.name
        ORDER BY p.name, p.id
        """
    }
}

extension TenantRepositories {
    /// The properties of the current organization.
    public var properties: PropertyRepository { PropertyRepository(session: session) }
}
