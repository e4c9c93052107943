public import FoundationEssentials
import PGClient

/// The users of the current organization.
public struct UserRepository: Sendable {
    let session: TenantSession

    /// Adds a user to the current organization; `id` defaults to a new one (pass the context's
    /// `userID` when provisioning the first user).
    ///
    /// - Throws: `PGError` (unique violation) for a clerk id or e-mail already in use.
    public func create(
        id: UUID = UUID(), clerkID: String, email: String, firstName: String? = nil, lastName: String? = nil,
        role: UserRole = .user
    ) async throws -> User {
        try await session.record(
            User.self, "users.create", entity: "users", id: id,
            """
            INSERT INTO financbase.users (id, organization_id, clerk_id, email, first_name, last_name, role)
            VALUES (\(id), \(session.context.organizationID), \(clerkID), \(email), \(firstName), \(lastName), \(role))
            RETURNING \(columnsOf: User.self)
            """)
    }

    /// The user with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> User {
        try await session.fetch(User.self, "users.get", id: id)
    }

    /// Saves the e-mail, names, role and active flag of `user`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func update(_ user: User) async throws -> User {
        try await session.record(
            User.self, "users.update", entity: "users", id: user.id,
            """
            UPDATE financbase.users
            SET email = \(user.email), first_name = \(user.firstName), last_name = \(user.lastName),
                role = \(user.role), is_active = \(user.isActive)
            WHERE id = \(user.id) RETURNING \(columnsOf: User.self)
            """)
    }

    /// Deletes the user with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (foreign key violation)
    ///   while rows still reference the user.
    public func delete(_ id: UUID) async throws {
        try await session.delete("users.delete", table: "users", id: id)
    }

    /// A page of users, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<User> {
        try await session.page(User.self, "users.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The users of the current organization.
    public var users: UserRepository { UserRepository(session: session) }
}
