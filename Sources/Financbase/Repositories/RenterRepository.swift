public import FoundationEssentials
import PGClient

/// The renters of the current organization; every member writes them.
public struct RenterRepository: Sendable {
    let session: TenantSession

    /// Adds a renter.
    ///
    /// - Throws: `PGError` with SQLSTATE 23505 for an e-mail address the organization already
    ///   has (case-insensitively); 23514 for an empty name, a malformed e-mail or phone number;
    ///   42501 for a viewer.
    public func create(
        name: String, email: String? = nil, phone: String? = nil, notes: String? = nil
    )
        async throws -> Renter
    {
        let context = session.context
        return try await session.record(
            Renter.self, "renters.create", entity: "renters", id: context.organizationID,
            """
            INSERT INTO financbase.renters (organization_id, name, email, phone, notes)
            VALUES (\(context.organizationID), \(name), \(email), \(phone), \(notes))
            RETURNING \(columnsOf: Renter.self)
            """)
    }

    /// The renter with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Renter {
        try await session.fetch(Renter.self, "renters.get", id: id)
    }

    /// Saves every changeable field of `renter`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a violated constraint.
    public func update(_ renter: Renter) async throws -> Renter {
        try await session.record(
            Renter.self, "renters.update", entity: "renters", id: renter.id,
            """
            UPDATE financbase.renters
            SET name = \(renter.name), email = \(renter.email), phone = \(renter.phone), notes = \(renter.notes)
            WHERE id = \(renter.id) RETURNING \(columnsOf: Renter.self)
            """)
    }

    /// Deletes the renter with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (23503) while leases reference it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("renters.delete", table: "renters", id: id)
    }

    /// A page of renters in the order they were added.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Renter> {
        try await session.page(Renter.self, "renters.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The renters of the current organization.
    public var renters: RenterRepository { RenterRepository(session: session) }
}
