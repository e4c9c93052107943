public import FoundationEssentials
import PGClient
public import PGWire

/// The freelancer profiles of the current organization's users (at most one per user).
public struct FreelancerRepository: Sendable {
    let session: TenantSession

    /// Creates the freelancer profile of `userID`, a user of the current organization.
    ///
    /// - Throws: `PGError`: a unique violation when the user has a profile already, a foreign
    ///   key violation for a user of another organization, a check violation for a rating
    ///   outside 0...5 or an empty display name.
    public func create(
        userID: UUID, displayName: String, title: String, specialties: [String] = [],
        skills: [String] = [],
        hourlyRate: PGNumeric? = nil, currency: String = "USD",
        status: FreelancerStatus = .available,
        timezone: String = "UTC", rating: PGNumeric = .zero
    ) async throws -> Freelancer {
        try await session.record(
            Freelancer.self, "freelancers.create", entity: "users", id: userID,
            """
            INSERT INTO financbase.freelancers
                (organization_id, user_id, display_name, title, specialties, skills, hourly_rate, currency,
                 status, timezone, rating)
            VALUES (\(session.context.organizationID), \(userID), \(displayName), \(title), \(specialties), \(skills),
                    \(hourlyRate), \(currency), \(status), \(timezone), \(rating))
            RETURNING \(columnsOf: Freelancer.self)
            """)
    }

    /// The freelancer profile with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Freelancer {
        try await session.fetch(Freelancer.self, "freelancers.get", id: id)
    }

    /// Saves the changeable fields of `freelancer`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a violated constraint.
    public func update(_ freelancer: Freelancer) async throws -> Freelancer {
        try await session.record(
            Freelancer.self, "freelancers.update", entity: "freelancers", id: freelancer.id,
            """
            UPDATE financbase.freelancers
            SET display_name = \(freelancer.displayName), title = \(freelancer.title), bio = \(freelancer.bio),
                specialties = \(freelancer.specialties), skills = \(freelancer.skills),
                hourly_rate = \(freelancer.hourlyRate), currency = \(freelancer.currency),
                status = \(freelancer.status), timezone = \(freelancer.timezone),
                is_verified = \(freelancer.isVerified), rating = \(freelancer.rating)
            WHERE id = \(freelancer.id) RETURNING \(columnsOf: Freelancer.self)
            """)
    }

    /// Deletes the freelancer profile with `id` (the user stays).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("freelancers.delete", table: "freelancers", id: id)
    }

    /// A page of freelancer profiles, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Freelancer>
    {
        try await session.page(
            Freelancer.self, "freelancers.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The freelancer profiles of the current organization's users.
    public var freelancers: FreelancerRepository { FreelancerRepository(session: session) }
}
