import PGClient

/// The current organization: the one row of `organizations` the tenant context can see.
///
/// A new tenant is provisioned by choosing its ids first and opening a unit of work for them;
/// row-level security accepts the organization row because its id is the context's:
///
/// ```swift
/// let context = TenantContext(userID: UUID(), organizationID: UUID())
/// try await store.withTenant(context) { repos in
///     _ = try await repos.organizations.createCurrent(name: "Acme")
///     _ = try await repos.users.create(id: context.userID, clerkID: "user_2abc", email: "ada@acme.test", role: .admin)
///     var acme = try await repos.organizations.current()
///     acme.ownerID = context.userID
///     _ = try await repos.organizations.update(acme)
/// }
/// ```
public struct OrganizationRepository: Sendable {
    let session: TenantSession

    /// Creates the organization whose id is the context's `organizationID`.
    ///
    /// - Throws: `PGError` (unique violation) when it exists already or `slug` is taken.
    public func createCurrent(name: String, slug: String? = nil, defaultCurrency: String = "USD") async throws -> Organization {
        let id = session.context.organizationID
        return try await session.record(
            Organization.self, "organizations.create", entity: "organizations", id: id,
            """
            INSERT INTO financbase.organizations (id, name, slug, default_currency)
            VALUES (\(id), \(name), \(slug), \(defaultCurrency)) RETURNING \(columnsOf: Organization.self)
            """)
    }

    /// The current organization.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` before ``createCurrent(name:slug:defaultCurrency:)``.
    public func current() async throws -> Organization {
        try await session.fetch(Organization.self, "organizations.get", id: session.context.organizationID)
    }

    /// Saves the name, slug, description, default currency and owner of `organization`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for any organization but the current one.
    public func update(_ organization: Organization) async throws -> Organization {
        try await session.record(
            Organization.self, "organizations.update", entity: "organizations", id: organization.id,
            """
            UPDATE financbase.organizations
            SET name = \(organization.name), slug = \(organization.slug), description = \(organization.description),
                default_currency = \(organization.defaultCurrency), owner_id = \(organization.ownerID)
            WHERE id = \(organization.id) RETURNING \(columnsOf: Organization.self)
            """)
    }
}

extension TenantRepositories {
    /// The current organization.
    public var organizations: OrganizationRepository { OrganizationRepository(session: session) }
}
