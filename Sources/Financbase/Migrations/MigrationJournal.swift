import FoundationEssentials
import PGClient

/// The table that records every applied migration, `financbase_meta.schema_migrations`.
///
/// It belongs to the administrator who migrates, in a schema of its own that neither
/// `financbase_owner` (whose migrations must not rewrite their own history) nor
/// `financbase_app` can use.
enum MigrationJournal {
    /// One applied migration as the journal has it.
    struct Row: Sendable, Hashable {
        var version: Int
        var name: String
        var checksum: String
        var appliedAt: Date
        var executionMilliseconds: Int
        var appliedBy: String
    }

    static let table = "financbase_meta.schema_migrations"

    /// Creates the schema and the table when missing. Runs under the migration lock, so two
    /// migrates of one database cannot race here.
    static func create(on connection: PGConnection) async throws {
        // Checked first rather than IF NOT EXISTS alone, which would send a notice on every run.
        guard try await !exists(on: connection) else { return }
        try await connection.simpleQuery(
            """
            CREATE SCHEMA IF NOT EXISTS financbase_meta;
            REVOKE ALL ON SCHEMA financbase_meta FROM PUBLIC;
            CREATE TABLE IF NOT EXISTS \(table) (
                version integer PRIMARY KEY CHECK (version > 0),
                name text NOT NULL,
                checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                execution_ms integer NOT NULL CHECK (execution_ms >= 0),
                applied_by text NOT NULL DEFAULT current_user
            );
            REVOKE ALL ON \(table) FROM PUBLIC;
            """)
    }

    /// Every row in version order; none when the table does not exist yet (a database never
    /// migrated), so status can look without creating anything.
    static func rows(on connection: PGConnection) async throws -> [Row] {
        guard try await exists(on: connection) else { return [] }
        let rows = try await connection.query(
            """
            SELECT version, name, checksum, applied_at, execution_ms, applied_by
            FROM financbase_meta.schema_migrations ORDER BY version
            """
        ).collect()
        return try rows.map { row in
            let (version, name, checksum, appliedAt, milliseconds, appliedBy) = try row.decode(
                (Int, String, String, Date, Int, String).self)
            return Row(
                version: version, name: name, checksum: checksum, appliedAt: appliedAt,
                executionMilliseconds: milliseconds, appliedBy: appliedBy)
        }
    }

    private static func exists(on connection: PGConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT to_regclass(\(table)) IS NOT NULL").collect()
        return try rows.first?.decode(Bool.self, at: 0) ?? false
    }

    /// Records `migration` inside its transaction, as the administrator.
    static func record(_ migration: Migration, milliseconds: Int64, on connection: PGConnection)
        async throws
    {
        try await connection.execute(
            """
            INSERT INTO financbase_meta.schema_migrations (version, name, checksum, execution_ms)
            VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(Int(milliseconds)))
            """)
    }
}
