import PGClient
import PGWire

/// The cluster-wide roles the schema relies on, made idempotently and safely when several
/// databases of one cluster migrate at the same moment (roles are shared by all of them, so the
/// per-database migration lock does not serialize this).
///
/// - `financbase_owner`, NOLOGIN: owns every schema object, because each migration runs as it.
/// - `financbase_app`, LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT
///   NOREPLICATION: what the application connects as; it owns nothing and gets only the grants
///   the migrations give it.
/// - `financbase_lookup`, NOLOGIN NOINHERIT, no BYPASSRLS: owns only the SECURITY DEFINER
///   lookups that read a user's role and sign-in identity (migration 0008), through a policy of
///   its own on `users` and `freelancers`; `financbase_owner` is made a member so that a
///   migration can hand those functions to it.
enum MigrationRoles {
    static let owner = "financbase_owner"
    static let app = "financbase_app"
    static let lookup = "financbase_lookup"

    /// Creates the roles that are missing and lets the administrator act as the owner. Returns the
    /// roles created.
    ///
    /// The application role gets a password only when it is created here, and only as a
    /// SCRAM-SHA-256 verifier made on this side: the clear password never reaches the server,
    /// so no statement log can show it. An existing role's password is left alone.
    static func bootstrap(on connection: PGConnection, appPassword: String?) async throws
        -> [String]
    {
        var created: [String] = []
        if try await createIfMissing(owner, attributes: "NOLOGIN", on: connection) {
            created.append(owner)
        }
        var appAttributes =
            "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION"
        if let appPassword, !appPassword.isEmpty {
            // The verifier is base64 with `$`, `:` and `-` only: it cannot end the literal.
            appAttributes += " PASSWORD '\(try SCRAMVerifier(password: appPassword).text)'"
        }
        if try await createIfMissing(app, attributes: appAttributes, on: connection) {
            created.append(app)
        }
        let lookupAttributes = "NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT"
        if try await createIfMissing(lookup, attributes: lookupAttributes, on: connection) {
            created.append(lookup)
        }
        try await letOwnerActAsLookup(on: connection)
        try await connection.simpleQuery(
            """
            DO $grant$ BEGIN
                EXECUTE format('GRANT CREATE ON DATABASE %I TO financbase_owner', current_database());
            END $grant$
            """)
        try await letAdministratorSetOwnerRole(on: connection)
        return created
    }

    /// Runs `CREATE ROLE` unless the role exists; a concurrent creator that wins the race is
    /// fine (duplicate_object, or unique_violation on `pg_authid` when both passed the check).
    private static func createIfMissing(
        _ role: String, attributes: String, on connection: PGConnection
    ) async throws -> Bool {
        guard try await !exists(role, on: connection) else { return false }
        do {
            try await connection.simpleQuery("CREATE ROLE \(role) \(attributes)")
            return true
        } catch let error as PGError where isLostRace(error) {
            return false
        }
    }

    /// A superuser can already `SET ROLE financbase_owner`; an administrator with CREATEROLE
    /// needs the membership.
    private static func letAdministratorSetOwnerRole(on connection: PGConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT rolsuper OR pg_has_role(current_user, \(owner), 'MEMBER')
            FROM pg_roles WHERE rolname = current_user
            """
        ).collect()
        guard let row = rows.first, try !row.decode(Bool.self, at: 0) else { return }
        do {
            try await connection.simpleQuery("GRANT \(owner) TO CURRENT_USER")
        } catch let error as PGError where isLostRace(error) {
            // Another database's migrate granted it a moment ago.
        }
    }

    /// `ALTER FUNCTION … OWNER TO financbase_lookup` in a migration needs the owner to be a
    /// member of the lookup role (never the other way round).
    private static func letOwnerActAsLookup(on connection: PGConnection) async throws {
        let rows = try await connection.query(
            "SELECT pg_has_role(\(owner), \(lookup), 'MEMBER')"
        ).collect()
        guard let row = rows.first, try !row.decode(Bool.self, at: 0) else { return }
        do {
            try await connection.simpleQuery("GRANT \(lookup) TO \(owner)")
        } catch let error as PGError where isLostRace(error) {
            // Another database's migrate granted it a moment ago.
        }
    }

    private static func exists(_ role: String, on connection: PGConnection) async throws -> Bool {
        try await !connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)").collect()
            .isEmpty
    }

    private static func isLostRace(_ error: PGError) -> Bool {
        error.sqlState == .duplicateObject || error.sqlState == .uniqueViolation
    }

    /// Everything that would let the application role get around row-level security or change
    /// the schema in this database; empty when it is safe.
    static func applicationRoleProblems(on connection: PGConnection) async throws -> [String] {
        let rows = try await connection.query(
            """
            WITH app AS (
                SELECT oid, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication
                FROM pg_roles WHERE rolname = \(app))
            SELECT problem FROM (
                SELECT 'it does not exist' AS problem WHERE NOT EXISTS (SELECT FROM app)
                UNION ALL SELECT 'it is a superuser' FROM app WHERE rolsuper
                UNION ALL SELECT 'it has BYPASSRLS' FROM app WHERE rolbypassrls
                UNION ALL SELECT 'it has CREATEROLE' FROM app WHERE rolcreaterole
                UNION ALL SELECT 'it has CREATEDB' FROM app WHERE rolcreatedb
                UNION ALL SELECT 'it has REPLICATION' FROM app WHERE rolreplication
                UNION ALL SELECT 'it is a member of ' || m.roleid::regrole
                    FROM app JOIN pg_auth_members m ON m.member = app.oid
                UNION ALL SELECT 'it owns ' || c.oid::regclass FROM app JOIN pg_class c ON c.relowner = app.oid
                UNION ALL SELECT 'it owns schema ' || n.nspname FROM app JOIN pg_namespace n ON n.nspowner = app.oid
                UNION ALL SELECT 'it owns function ' || p.oid::regprocedure FROM app JOIN pg_proc p ON p.proowner = app.oid
                UNION ALL SELECT 'it may create in database ' || current_database()
                    FROM app WHERE has_database_privilege(app.oid, current_database(), 'CREATE')
                UNION ALL SELECT 'it may create in schema ' || n.nspname
                    FROM app, pg_namespace n WHERE has_schema_privilege(app.oid, n.oid, 'CREATE')
                UNION ALL SELECT 'it may use schema financbase_meta'
                    FROM app, pg_namespace n
                    WHERE n.nspname = 'financbase_meta' AND has_schema_privilege(app.oid, n.oid, 'USAGE')
                UNION ALL SELECT 'it has ' || privilege || ' on ' || c.oid::regclass
                    FROM app, pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                        unnest(ARRAY['TRUNCATE', 'REFERENCES', 'TRIGGER']) AS privilege
                    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                        AND has_table_privilege(app.oid, c.oid, privilege)
            ) AS problems
            """
        ).collect()
        return try rows.map { try $0.decode(String.self, at: 0) }
    }
}
