@testable import Financbase
import Foundation
import PGClient
import Testing

/// Organization export and import against a real PostgreSQL: two organizations in the source,
/// one exported; the file holds that one only, every row of it, and imports beside others;
/// clashes and every other refusal leave the target as it was.
@Suite("Organization export and import")
struct OrganizationExportTests {
    @Test("one of two organizations exported: only its rows, all of them; imported into an empty database and beside the other, identical")
    func exportAndImport() async throws {
        let seeded = try await SeededDatabase.shared
        try #require(seeded.organizations.count >= 2)
        let (first, second) = (seeded.organizations[0].admin.organizationID, seeded.organizations[1].admin.organizationID)
        let source = seeded.database
        let path = BackupFixtures.temporaryPath("export-first")
        let otherPath = BackupFixtures.temporaryPath("export-second")
        defer {
            for file in [path, otherPath] { try? FileManager.default.removeItem(atPath: file) }
        }
        let summary = try await source.withAdminConnection { connection in
            try await FinancbaseExport.export(organization: first, on: connection, to: path)
        }
        let manifest = try BackupFileReader(path: path).manifest
        #expect(manifest.kind == .organization && manifest.organizationID == first.uuidString.lowercased())
        let tenantTables = try await source.withAdminConnection { connection in
            try await BackupCatalog.tables(on: connection).filter(\.holdsTenantRows).map(\.name)
        }
        #expect(manifest.tables.map(\.name) == tenantTables)
        #expect(!manifest.tables.contains { $0.name == BackupCatalog.journal || $0.name == "financbase.plugins" })

        // Every row of the organization is in the file, and no other: the counts per table
        // equal the administrator's for that organization, and the other one has rows too.
        let counts = try await Self.counts(in: source, of: first)
        let otherCounts = try await Self.counts(in: source, of: second)
        #expect(Dictionary(uniqueKeysWithValues: manifest.tables.map { ($0.name, $0.rows) }) == counts)
        #expect(otherCounts.values.allSatisfy { $0 > 0 }, "\(otherCounts)")
        #expect(summary.rows == counts.values.reduce(0, +))

        // Into a database never migrated: migrated to the export's version, then imported.
        let target = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let imported = try await target.withAdminConnection { connection in
            try await FinancbaseRestore.restoreOrganization(
                from: path, on: connection, migrations: try BundledMigrations.load(), organization: first,
                appPassword: FinancbaseTestServer.appPassword)
        }
        #expect(imported.rows == summary.rows)
        #expect(try await Self.fingerprints(in: target, of: first) == (try await Self.fingerprints(in: source, of: first)))
        #expect(try await Self.counts(in: target, of: second).values.allSatisfy { $0 == 0 })

        // The second beside the first: the target now holds both, each as in the source.
        _ = try await source.withAdminConnection { connection in
            try await FinancbaseExport.export(organization: second, on: connection, to: otherPath)
        }
        _ = try await target.withAdminConnection { connection in
            try await FinancbaseRestore.restoreOrganization(
                from: otherPath, on: connection, migrations: try BundledMigrations.load())
        }
        #expect(try await Self.fingerprints(in: target, of: second) == (try await Self.fingerprints(in: source, of: second)))
        #expect(try await Self.fingerprints(in: target, of: first) == (try await Self.fingerprints(in: source, of: first)))

        // The application in the imported organization's context sees its data.
        let visible = try await target.withStore { store in
            try await store.withTenant(seeded.organizations[0].admin) { repos in
                try await repos.transactions.list(limit: 5).rows.count
            }
        }
        #expect(visible == min(5, counts["financbase.transactions"] ?? 0))
    }

    @Test("a clash with another organization's slug or Clerk id, an organization already there, a mismatch or a full backup: typed errors, nothing written")
    func refusals() async throws {
        let seeded = try await SeededDatabase.shared
        let organization = seeded.organizations[0].admin.organizationID
        let migrations = try BundledMigrations.load()
        let path = BackupFixtures.temporaryPath("export-refusals")
        let fullPath = BackupFixtures.temporaryPath("full-refusals")
        defer {
            for file in [path, fullPath] { try? FileManager.default.removeItem(atPath: file) }
        }
        _ = try await seeded.database.withAdminConnection { connection in
            try await FinancbaseExport.export(organization: organization, on: connection, to: path)
        }
        let (slug, clerkID) = try await seeded.database.withAdminConnection { connection in
            try await connection.query(
                """
                SELECT o.slug, u.clerk_id FROM financbase.organizations o
                JOIN financbase.users u ON u.organization_id = o.id AND u.id = \(seeded.organizations[0].admin.userID)
                WHERE o.id = \(organization)
                """
            ).collect()[0].decode((String, String).self)
        }

        // Into the source itself: the organization is there already.
        let before = try await Self.totals(in: seeded.database)
        await #expect(throws: BackupError.organizationExists(organization)) {
            try await seeded.database.withAdminConnection { connection in
                try await FinancbaseRestore.restoreOrganization(from: path, on: connection, migrations: migrations)
            }
        }
        #expect(try await Self.totals(in: seeded.database) == before)

        // Another organization holds the slug; then another user holds the Clerk id.
        for clash in ["slug", "clerk"] {
            let target = try await FinancbaseTestServer.freshDatabase()
            let other = UUID()
            try await target.withAdminConnection { connection in
                try await connection.execute(
                    "INSERT INTO financbase.organizations (id, name, slug) VALUES (\(other), 'Other', \(clash == "slug" ? slug : "other-org"))")
                if clash == "clerk" {
                    try await connection.execute(
                        "INSERT INTO financbase.users (organization_id, clerk_id, email, role) VALUES (\(other), \(clerkID), 'someone@other.test', 'admin')")
                }
            }
            let targetBefore = try await Self.totals(in: target)
            let expected: BackupError =
                clash == "slug"
                ? .uniqueClash(table: "financbase.organizations", constraint: "organizations_slug_key")
                : .uniqueClash(table: "financbase.users", constraint: "users_clerk_id_key")
            await #expect(throws: expected) {
                try await target.withAdminConnection { connection in
                    try await FinancbaseRestore.restoreOrganization(from: path, on: connection, migrations: migrations)
                }
            }
            #expect(try await Self.totals(in: target) == targetBefore)
            #expect(try await Self.counts(in: target, of: organization).values.allSatisfy { $0 == 0 })
        }

        // The wrong organization named; a full backup where an export is expected, and back.
        let target = try await FinancbaseTestServer.freshDatabase()
        let stranger = UUID()
        await #expect(throws: BackupError.organizationMismatch(expected: stranger, found: organization.uuidString.lowercased())) {
            try await target.withAdminConnection { connection in
                try await FinancbaseRestore.restoreOrganization(
                    from: path, on: connection, migrations: migrations, organization: stranger)
            }
        }
        _ = try await seeded.database.withAdminConnection { try await FinancbaseBackup.backup(on: $0, to: fullPath) }
        await #expect(throws: BackupError.wrongKind(expected: "organization", found: "full")) {
            try await target.withAdminConnection { connection in
                try await FinancbaseRestore.restoreOrganization(from: fullPath, on: connection, migrations: migrations)
            }
        }
        await #expect(throws: BackupError.wrongKind(expected: "full", found: "organization")) {
            try await target.withAdminConnection { connection in
                try await FinancbaseRestore.restore(from: path, on: connection, migrations: migrations)
            }
        }
        #expect(try await Self.counts(in: target, of: organization).values.allSatisfy { $0 == 0 })
        #expect(try await Self.totals(in: target).filter { $0.key != "financbase.plugins" }.values.allSatisfy { $0 == 0 })
    }

    @Test("an unknown organization, or a role that does not bypass row-level security: refused, no file")
    func exportRefusals() async throws {
        let seeded = try await SeededDatabase.shared
        let path = BackupFixtures.temporaryPath("export-unknown")
        let unknown = UUID()
        await #expect(throws: BackupError.organizationNotFound(unknown)) {
            try await seeded.database.withAdminConnection { connection in
                try await FinancbaseExport.export(organization: unknown, on: connection, to: path)
            }
        }
        await #expect(throws: BackupError.roleDoesNotBypassRowSecurity(role: "financbase_app")) {
            try await seeded.database.withAppConnection { connection in
                try await FinancbaseExport.export(
                    organization: seeded.organizations[0].admin.organizationID, on: connection, to: path)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        #expect(!FileManager.default.fileExists(atPath: path + ".data.partial"))
    }

    /// The organization's rows per tenant table, counted by the administrator.
    static func counts(in database: FinancbaseTestDatabase, of organization: UUID) async throws -> [String: Int] {
        try await database.withAdminConnection { connection in
            var counts: [String: Int] = [:]
            for table in try await BackupCatalog.tables(on: connection) where table.holdsTenantRows {
                counts[table.name] = try await connection.query(
                    "SELECT count(*) FROM \(unescaped: table.name) WHERE \(unescaped: BackupCatalog.ownerColumn(of: table.name)) = \(organization)"
                ).collect()[0].decode(Int.self, at: 0)
            }
            return counts
        }
    }

    /// Every table's rows in all.
    static func totals(in database: FinancbaseTestDatabase) async throws -> [String: Int] {
        try await database.withAdminConnection { connection in
            var counts: [String: Int] = [:]
            for table in try await BackupCatalog.tables(on: connection) where table.name != BackupCatalog.journal {
                counts[table.name] = try await connection.query("SELECT count(*) FROM \(unescaped: table.name)")
                    .collect()[0].decode(Int.self, at: 0)
            }
            return counts
        }
    }

    /// An MD5 of the organization's rows per tenant table, as text in a fixed order.
    static func fingerprints(in database: FinancbaseTestDatabase, of organization: UUID) async throws -> [String: String] {
        try await database.withAdminConnection { connection in
            var prints: [String: String] = [:]
            for table in try await BackupCatalog.tables(on: connection) where table.holdsTenantRows {
                prints[table.name] = try await connection.query(
                    """
                    SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(unescaped: table.name) t
                    WHERE \(unescaped: BackupCatalog.ownerColumn(of: table.name)) = \(organization)
                    """
                ).collect()[0].decode(String.self, at: 0)
            }
            return prints
        }
    }
}
