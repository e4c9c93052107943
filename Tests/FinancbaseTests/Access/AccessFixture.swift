import Foundation
import PGClient

@testable import Financbase

/// One seeded database shared by the access-rule tests (two organizations, every role in each);
/// tests that write leave what they wrote, in rows no other test of the suites counts.
enum AccessFixture {
    static var shared: SeededDatabase.Seeded {
        get async throws { try await seeding.value }
    }

    private static let seeding = Task { try await SeededDatabase.seed() }

    /// The first row id `query` returns, read as the administrator.
    static func id(_ seeded: SeededDatabase.Seeded, _ query: PGQuery) async throws -> UUID? {
        try await seeded.database.withAdminConnection { connection in
            try await connection.query(query).collect().first?.decode(UUID.self, at: 0)
        }
    }

    /// The Clerk id the seeder gives `user`.
    static func clerkID(_ user: UUID) -> String { "user_" + user.uuidString.lowercased() }
}

extension SeededOrganization {
    /// The context of `user` in this organization.
    func context(_ user: UUID) -> TenantContext { people.context(user, in: self) }
}
