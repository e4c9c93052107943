public import PGClient

/// Applies migrations to a database through an administrator's connection.
///
/// Placeholder: the migrations work adds the journal with checksums, the advisory lock, role
/// creation with `FINANCBASE_APP_PASSWORD`, status, and progress reports.
public struct MigrationRunner: Sendable {
    /// The migrations this runner applies, in version order.
    public let migrations: [Migration]
    /// The application role's password, used only when the runner creates that role.
    public var appPassword: String?

    /// Creates a runner for `migrations` (the bundled ones by default).
    public init(migrations: [Migration], appPassword: String? = nil) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.appPassword = appPassword
    }

    /// Applies every migration not yet applied, each in its own transaction as `financbase_owner`.
    public func migrate(on connection: PGConnection) async throws {
        try await connection.simpleQuery("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'financbase_owner') THEN CREATE ROLE financbase_owner NOLOGIN; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'financbase_app') THEN CREATE ROLE financbase_app LOGIN; END IF;
            END $$;
            """)
        if let appPassword {
            let rows = try await connection.query("SELECT format('ALTER ROLE financbase_app PASSWORD %L', \(appPassword))").collect()
            try await connection.simpleQuery(try rows[0].decode(String.self, at: 0))
        }
        try await connection.simpleQuery("DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO financbase_owner', current_database()); END $$")
        for migration in migrations {
            try await connection.simpleQuery("BEGIN; SET LOCAL ROLE financbase_owner;\n\(migration.sql)\n;COMMIT;")
        }
    }
}
