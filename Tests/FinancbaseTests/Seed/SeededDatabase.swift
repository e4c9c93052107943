import Financbase
import Foundation
import PGClient
import PGWire

/// A database seeded once for the seed tests: two organizations, scale 1, seed 7, as of
/// 2025-06-15 (a fixed day, so the dates, and so the aging buckets, are always the same).
enum SeededDatabase {
    static let today = PGDate(year: 2025, month: 6, day: 15) ?? PGDate(daysSince2000: 0)
    static let options = Seeder.Options(seed: 7, scale: 1, today: today)

    struct Seeded: Sendable {
        let database: FinancbaseTestDatabase
        let organizations: [SeededOrganization]
    }

    static var shared: Seeded {
        get async throws { try await seeding.value }
    }

    private static let seeding = Task { try await seed() }

    /// Seeds a fresh database with `options`.
    static func seed(options: Seeder.Options = options) async throws -> Seeded {
        let database = try await FinancbaseTestServer.freshDatabase()
        let organizations = try await database.withStore { store in
            try await Seeder(store: store, options: options).seed()
        }
        return Seeded(database: database, organizations: organizations)
    }

    /// Every table the seeder fills.
    /// The tenant tables of the migrated schema (without the schema), read from the catalog so
    /// that every table a migration adds must be seeded.
    static func tables(on connection: PGConnection) async throws -> [String] {
        try await AccessMatrix.tenantTables(on: connection).map { String($0.dropFirst("financbase.".count)) }
    }

    /// The rows of `query` as text, one line per row, columns joined by spaces: easy to compare.
    static func lines(_ connection: PGConnection, _ query: PGQuery) async throws -> [String] {
        try await connection.query(query).collect().map { row in
            try (0..<row.count).map { try row.decode(String?.self, at: $0) ?? "NULL" }.joined(
                separator: " ")
        }
    }
}
