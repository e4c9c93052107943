import Financbase
import PGClient
import PGWire
import Testing

@Suite("Migration roles and ownership")
struct MigrationRolesTests {
    /// The foundation plus one tenant table made the way every table migration makes one.
    static let ledger = Migration(
        version: 2, name: "ledger",
        sql: """
            CREATE TABLE financbase.ledger (
                id uuid PRIMARY KEY,
                organization_id uuid NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            SELECT app.make_tenant_table('financbase.ledger');
            """)

    static func migratedWithLedger() async throws -> FinancbaseTestDatabase {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let foundation = try BundledMigrations.load().filter { $0.version == 1 }
        try await database.withAdminConnection {
            try await SampleMigrations.runner(foundation + [ledger]).migrate(on: $0)
        }
        return database
    }

    @Test(
        "financbase_owner owns every object the migrations made; the administrator owns the journal"
    )
    func ownership() async throws {
        let database = try await Self.migratedWithLedger()
        try await database.withAdminConnection { connection in
            let rows = try await connection.query(
                """
                SELECT kind || ' ' || name || ' owned by ' || owner FROM (
                    SELECT 'schema' AS kind, nspname AS name, nspowner::regrole::text AS owner
                        FROM pg_namespace WHERE nspname IN ('financbase', 'app')
                    UNION ALL SELECT 'relation', c.oid::regclass::text, c.relowner::regrole::text
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname IN ('financbase', 'app')
                    UNION ALL SELECT 'function', p.oid::regprocedure::text, p.proowner::regrole::text
                        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                        WHERE n.nspname IN ('financbase', 'app')
                ) AS objects WHERE owner <> 'financbase_owner'
                """
            ).collect()
            #expect(try rows.map { try $0.decode(String.self, at: 0) } == [])
            let journal = try await connection.query(
                """
                SELECT relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                FROM pg_class WHERE oid = 'financbase_meta.schema_migrations'::regclass
                """
            ).collect()
            #expect(try journal[0].decode(Bool.self, at: 0))
        }
    }

    @Test(
        "financbase_app: no superuser, no BYPASSRLS, owns nothing, no TRUNCATE or CREATE, no journal"
    )
    func applicationRole() async throws {
        let database = try await Self.migratedWithLedger()
        try await database.withAdminConnection { connection in
            let rows = try await connection.query(
                """
                SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole, rolinherit, rolcanlogin,
                    has_table_privilege(oid, 'financbase.ledger', 'TRUNCATE'),
                    has_table_privilege(oid, 'financbase.ledger', 'SELECT, INSERT, UPDATE, DELETE'),
                    has_database_privilege(oid, current_database(), 'CREATE'),
                    has_schema_privilege(oid, 'financbase', 'CREATE'),
                    has_schema_privilege(oid, 'financbase_meta', 'USAGE'),
                    left(rolpassword, 14)
                FROM pg_authid WHERE rolname = 'financbase_app'
                """
            ).collect()
            let row = try #require(rows.first)
            let (superuser, bypass, createDB, createRole, inherit, login) = try row.decode(
                (Bool, Bool, Bool, Bool, Bool, Bool).self)
            #expect(!superuser && !bypass && !createDB && !createRole && !inherit && login)
            #expect(try row.decode(Bool.self, at: 6) == false)
            #expect(try row.decode(Bool.self, at: 7) == true)
            #expect(try row.decode(Bool.self, at: 8) == false)
            #expect(try row.decode(Bool.self, at: 9) == false)
            #expect(try row.decode(Bool.self, at: 10) == false)
            #expect(try row.decode(String?.self, at: 11) == "SCRAM-SHA-256$")
        }
        try await database.withAppConnection { connection in
            await #expect {
                try await connection.query("SELECT * FROM financbase_meta.schema_migrations")
                    .collect()
            } throws: { ($0 as? PGError)?.sqlState == .insufficientPrivilege }
            await #expect {
                try await connection.simpleQuery("TRUNCATE financbase.ledger")
            } throws: { ($0 as? PGError)?.sqlState == .insufficientPrivilege }
        }
    }

    @Test("a migration that gives the application role too much fails the run loudly")
    func unsafeGrantFails() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let generous = Migration(
            version: 2, name: "generous",
            sql: """
                CREATE TABLE sample.accounts (id integer PRIMARY KEY);
                GRANT ALL ON sample.accounts TO financbase_app;
                """)
        await #expect {
            try await database.withAdminConnection {
                try await SampleMigrations.runner([SampleMigrations.schema, generous]).migrate(
                    on: $0)
            }
        } throws: { error in
            guard case .unsafeApplicationRole(let reasons) = error as? MigrationError else {
                return false
            }
            return Set(reasons) == [
                "it has TRUNCATE on sample.accounts", "it has REFERENCES on sample.accounts",
                "it has TRIGGER on sample.accounts",
            ]
        }
    }

    @Test("the password goes to the server as a SCRAM verifier, which the server accepts for login")
    func clientSideVerifier() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let role = "fb_verifier_\(UInt32.random(in: 0...UInt32.max))"
        let verifier = try SCRAMVerifier(password: "pässwörd ✓")
        #expect(verifier.text.hasPrefix("SCRAM-SHA-256$4096:"))
        try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                "CREATE ROLE \(role) LOGIN PASSWORD '\(verifier.text)'")
            let stored = try await connection.query(
                "SELECT rolpassword FROM pg_authid WHERE rolname = \(role)"
            ).collect()
            #expect(try stored[0].decode(String.self, at: 0) == verifier.text)
        }
        var config = database.adminConfig
        config.user = role
        config.password = "pässwörd ✓"
        let connection = try await PGConnection.connect(config: config)
        let rows = try await connection.query("SELECT current_user::text").collect()
        #expect(try rows[0].decode(String.self, at: 0) == role)
        await connection.close()
        config.password = "password"
        await #expect(throws: PGError.self) { try await PGConnection.connect(config: config) }
        try await database.withAdminConnection { try await $0.simpleQuery("DROP ROLE \(role)") }
    }

    @Test(
        "an administrator who is not a superuser migrates, and financbase_owner still owns everything"
    )
    func nonSuperuserAdministrator() async throws {
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        let admin = "fb_admin_\(UInt32.random(in: 0...UInt32.max))"
        let password = "admin-\(admin)"
        try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                CREATE ROLE \(admin) LOGIN CREATEROLE PASSWORD '\(try SCRAMVerifier(password: password).text)';
                ALTER DATABASE \(database.adminConfig.database) OWNER TO \(admin);
                """)
        }
        var config = database.adminConfig
        config.user = admin
        config.password = password
        let connection = try await PGConnection.connect(config: config)
        do {
            try await SampleMigrations.runner(SampleMigrations.all).migrate(on: connection)
            let rows = try await connection.query(
                """
                SELECT (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'sample.entries'::regclass),
                    (SELECT relowner::regrole::text FROM pg_class WHERE oid = 'financbase_meta.schema_migrations'::regclass),
                    (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                """
            ).collect()
            let (tableOwner, journalOwner, superuser) = try rows[0].decode(
                (String, String, Bool).self)
            #expect(tableOwner == "financbase_owner")
            #expect(journalOwner == admin)
            #expect(!superuser)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }
}
