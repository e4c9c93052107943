import PGClient

extension AuditCatalog {
    func roleExists() async throws -> Bool {
        try await !rows("SELECT FROM pg_roles WHERE rolname = \(appRole)").isEmpty
    }

    func roleAttributes() async throws -> [AuditFinding] {
        try await findings(
            .unsafeRoleAttribute,
            """
            SELECT rolname::text, 'the role has ' || attribute
            FROM pg_roles CROSS JOIN LATERAL (VALUES
                (rolsuper, 'SUPERUSER: it bypasses every check'),
                (rolbypassrls, 'BYPASSRLS: it bypasses row-level security'),
                (rolcreaterole, 'CREATEROLE: it can make and grant roles'),
                (rolcreatedb, 'CREATEDB: it can make databases it owns'),
                (rolreplication, 'REPLICATION: it can stream every row')) AS a(has, attribute)
            WHERE rolname = \(appRole) AND a.has
            """)
    }

    /// The roles the application role is a member of, directly or not, that it must not be in:
    /// the owner, the owners of allow-listed SECURITY DEFINER lookups (which read every user), any
    /// role with an unsafe attribute, the predefined roles that read or write all data or the
    /// server's files.
    func unsafeMemberships(ownerRole: String, lookupRoles: [String]) async throws -> [AuditFinding] {
        try await findings(
            .unsafeMembership,
            """
            SELECT \(appRole), 'member of ' || r.rolname || ': ' || concat_ws(', ',
                CASE WHEN r.rolname = \(ownerRole) THEN 'the owner of the schema objects' END,
                CASE WHEN r.rolname::text = ANY(\(lookupRoles)) THEN 'the owner of the identity lookups' END,
                CASE WHEN r.rolsuper THEN 'SUPERUSER' END,
                CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END,
                CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END,
                CASE WHEN r.rolcreatedb THEN 'CREATEDB' END,
                CASE WHEN r.rolreplication THEN 'REPLICATION' END,
                CASE WHEN r.rolname IN ('pg_read_all_data', 'pg_write_all_data', 'pg_read_server_files',
                    'pg_write_server_files', 'pg_execute_server_program') THEN 'a predefined role beyond row-level security' END)
            FROM pg_roles r
            WHERE r.rolname <> \(appRole) AND pg_has_role(\(appRole), r.oid, 'MEMBER')
              AND (r.rolname = \(ownerRole) OR r.rolname::text = ANY(\(lookupRoles)) OR r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb
                   OR r.rolreplication OR r.rolname IN ('pg_read_all_data', 'pg_write_all_data',
                   'pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'))
            ORDER BY r.rolname
            """)
    }

    /// Objects of this database owned by the application role or by a role it is a member of:
    /// an owner may disable row-level security, and bypasses it where it is not forced.
    func ownedObjects() async throws -> [AuditFinding] {
        try await findings(
            .ownsObject,
            """
            WITH member_of AS (SELECT oid, rolname FROM pg_roles WHERE pg_has_role(\(appRole), oid, 'MEMBER')),
            objects(owner, kind, name) AS (
                SELECT c.relowner, 'relation', format('%I.%I', n.nspname, c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(unescaped: Self.ownSchema)
                UNION ALL
                SELECT n.nspowner, 'schema', quote_ident(n.nspname) FROM pg_namespace n WHERE \(unescaped: Self.ownSchema)
                UNION ALL
                SELECT p.proowner, 'function', p.oid::regprocedure::text
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE \(unescaped: Self.ownSchema)
                UNION ALL
                SELECT datdba, 'database', quote_ident(datname) FROM pg_database WHERE datname = current_database())
            SELECT o.name, o.kind || ' owned by ' || m.rolname
                || CASE WHEN m.rolname = \(appRole) THEN '' ELSE ', which ' || \(appRole) || ' is a member of' END
            FROM objects o JOIN member_of m ON m.oid = o.owner
            ORDER BY 1
            """)
    }

    func unsafeTablePrivileges() async throws -> [AuditFinding] {
        try await findings(
            .unsafeTablePrivilege,
            """
            SELECT format('%I.%I', n.nspname, c.relname), \(appRole) || ' has ' || p.privilege
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN (VALUES ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) AS p(privilege)
            WHERE \(unescaped: Self.ownSchema) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND has_table_privilege(\(appRole), c.oid, p.privilege)
            ORDER BY 1, 2
            """)
    }

    func createPrivileges() async throws -> [AuditFinding] {
        try await findings(
            .createPrivilege,
            """
            SELECT 'schema ' || quote_ident(n.nspname), \(appRole) || ' may CREATE objects in the schema'
            FROM pg_namespace n
            WHERE \(unescaped: Self.ownSchema) AND has_schema_privilege(\(appRole), n.oid, 'CREATE')
            UNION ALL
            SELECT 'database ' || quote_ident(current_database()), \(appRole) || ' may CREATE schemas in the database'
            WHERE has_database_privilege(\(appRole), current_database(), 'CREATE')
            ORDER BY 1
            """)
    }

    /// The relations the application role may use that row-level security cannot guard: tenant
    /// relations of kinds it does not apply to (materialized views, foreign tables) are
    /// offenders; relations without a tenant column are global tables when the role may only
    /// read them, and offenders when it may change them.
    func sharedAndUnguardedRelations() async throws -> (
        offenders: [AuditFinding], globalTables: [String]
    ) {
        let rows = try await rows(
            """
            SELECT format('%I.%I', n.nspname, c.relname), c.relkind::text, \(unescaped: Self.holdsTenantRows),
                has_table_privilege(\(appRole), c.oid, 'INSERT, UPDATE, DELETE')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname::text = ANY(\(schemas)) AND c.relkind IN ('r', 'p', 'm', 'f')
              AND has_table_privilege(\(appRole), c.oid, 'SELECT, INSERT, UPDATE, DELETE')
            ORDER BY 1
            """)
        var offenders: [AuditFinding] = []
        var globalTables: [String] = []
        for row in rows {
            let (name, kind, tenant, writable) = try row.decode((String, String, Bool, Bool).self)
            if !tenant {
                if writable {
                    offenders.append(
                        AuditFinding(
                            kind: .writableGlobalTable, object: name,
                            detail:
                                "it has no tenant column and \(appRole) may change it: one tenant's write changes every tenant's rows"
                        ))
                } else {
                    globalTables.append(name)
                }
            } else if kind == "m" || kind == "f" {
                let what = kind == "m" ? "a materialized view" : "a foreign table"
                offenders.append(
                    AuditFinding(
                        kind: .unprotectedTenantRelation, object: name,
                        detail:
                            "\(what) with a tenant column that \(appRole) may read; row-level security cannot guard it"
                    ))
            }
            // Tenant tables of kind r and p are reported by the policy rules.
        }
        return (offenders, globalTables)
    }
}
