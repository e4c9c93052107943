public import FoundationEssentials
import PGClient

/// The clients of the current organization.
public struct ClientRepository: Sendable {
    let session: TenantSession

    /// Adds a client, recorded as added by the context's user.
    ///
    /// - Throws: `PGError` (check violation) for an empty name, a malformed e-mail or currency.
    public func create(
        name: String, email: String, company: String? = nil, currency: String = "USD",
        paymentTermsDays: Int32 = 30, country: String = "US"
    ) async throws -> Client {
        let context = session.context
        return try await session.record(
            Client.self, "clients.create", entity: "clients", id: context.organizationID,
            """
            INSERT INTO financbase.clients
                (organization_id, user_id, name, email, company, currency, payment_terms_days, country)
            VALUES (\(context.organizationID), \(context.userID), \(name), \(email), \(company), \(currency),
                    \(paymentTermsDays), \(country))
            RETURNING \(columnsOf: Client.self)
            """)
    }

    /// The client with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Client {
        try await session.fetch(Client.self, "clients.get", id: id)
    }

    /// Saves every changeable field of `client`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func update(_ client: Client) async throws -> Client {
        try await session.record(
            Client.self, "clients.update", entity: "clients", id: client.id,
            """
            UPDATE financbase.clients
            SET name = \(client.name), email = \(client.email), phone = \(client.phone), company = \(client.company),
                address = \(client.address), city = \(client.city), country = \(client.country),
                tax_id = \(client.taxID), currency = \(client.currency),
                payment_terms_days = \(client.paymentTermsDays), status = \(client.status), notes = \(client.notes)
            WHERE id = \(client.id) RETURNING \(columnsOf: Client.self)
            """)
    }

    /// Deletes the client with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` while invoices reference it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("clients.delete", table: "clients", id: id)
    }

    /// A page of clients, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Client> {
        try await session.page(Client.self, "clients.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The clients of the current organization.
    public var clients: ClientRepository { ClientRepository(session: session) }
}
