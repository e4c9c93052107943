import PGClient

/// The catalog queries of ``FinancbaseAudit``, each returning findings (or the facts the pure
/// rules need). Role names and schemas are bound as parameters, never spliced into SQL.
struct AuditCatalog: Sendable {
    let connection: PGConnection
    let appRole: String
    let schemas: [String]

    /// A table that holds tenant rows, its row-level security switches, and the commands the
    /// application role holds the privilege for (`pg_policy.polcmd` letters: r, a, w, d).
    struct TenantTable: Sendable, Hashable {
        var name: String
        var rowSecurity: Bool
        var forced: Bool
        var appCommands: Set<String>
    }

    /// The condition "namespace `n` is a schema of the database's own, not the system's".
    static let ownSchema = """
        (n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' \
        AND n.nspname NOT LIKE 'pg\\_temp\\_%')
        """

    /// The condition "relation `c` holds tenant rows".
    static let holdsTenantRows = """
        (c.relname = 'organizations' OR EXISTS (SELECT FROM pg_attribute a \
        WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND a.attnum > 0 AND NOT a.attisdropped))
        """

    func rows(_ query: PGQuery) async throws -> [PGRow] {
        try await connection.query(query).collect()
    }

    /// Findings of one kind from a query whose rows are (object, detail).
    func findings(_ kind: AuditFinding.Kind, _ query: PGQuery) async throws -> [AuditFinding] {
        try await rows(query).map { row in
            let (object, detail) = try row.decode((String, String).self)
            return AuditFinding(kind: kind, object: object, detail: detail)
        }
    }

    func tenantTables() async throws -> [TenantTable] {
        try await rows(
            """
            SELECT format('%I.%I', n.nspname, c.relname), c.relrowsecurity, c.relforcerowsecurity,
                array(SELECT p.letter FROM (VALUES ('r', 'SELECT'), ('a', 'INSERT'), ('w', 'UPDATE'), ('d', 'DELETE'))
                      AS p(letter, privilege)
                      WHERE to_regrole(\(appRole)) IS NOT NULL AND has_table_privilege(\(appRole), c.oid, p.privilege))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname::text = ANY(\(schemas)) AND c.relkind IN ('r', 'p') AND \(unescaped: Self.holdsTenantRows)
            ORDER BY 1
            """
        ).map { row in
            let (name, rowSecurity, forced, commands) = try row.decode((String, Bool, Bool, [String]).self)
            return TenantTable(name: name, rowSecurity: rowSecurity, forced: forced, appCommands: Set(commands))
        }
    }

    /// Every policy on the schemas' tables, by table.
    func policies() async throws -> [String: [TenantPolicy]] {
        let rows = try await rows(
            """
            SELECT format('%I.%I', n.nspname, c.relname), p.polname::text, p.polcmd::text, p.polpermissive,
                EXISTS (SELECT FROM unnest(p.polroles) AS r(oid) WHERE CASE
                    WHEN r.oid = 0 THEN true
                    WHEN to_regrole(\(appRole)) IS NULL THEN false
                    ELSE pg_has_role(to_regrole(\(appRole)), r.oid, 'MEMBER') END),
                pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
            FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname::text = ANY(\(schemas))
            ORDER BY 1, 2
            """)
        var policies: [String: [TenantPolicy]] = [:]
        for row in rows {
            let (table, name, command, permissive, applies, using, withCheck) =
                try row.decode((String, String, String, Bool, Bool, String?, String?).self)
            policies[table, default: []].append(
                TenantPolicy(
                    command: command, name: name, permissive: permissive, appliesToApp: applies,
                    using: using,
                    withCheck: withCheck))
        }
        return policies
    }

    func viewsWithoutSecurityInvoker() async throws -> [AuditFinding] {
        try await findings(
            .viewNotSecurityInvoker,
            """
            SELECT format('%I.%I', n.nspname, c.relname),
                'the view runs with its owner''s rights; create it WITH (security_invoker = true)'
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname::text = ANY(\(schemas)) AND c.relkind = 'v'
              AND NOT EXISTS (SELECT FROM unnest(c.reloptions) AS o(option)
                  WHERE lower(o.option) IN ('security_invoker=true', 'security_invoker=on', 'security_invoker=1',
                      'security_invoker=yes'))
            ORDER BY 1
            """)
    }

    /// A tenant context that a session starts with: a role's or the database's default, or the
    /// server's configuration (seen as a non-empty setting on this fresh session).
    func sessionContexts() async throws -> [AuditFinding] {
        try await findings(
            .contextSetForSession,
            """
            SELECT coalesce(r.rolname::text, 'all roles') || ' in ' || coalesce(d.datname::text, 'all databases'),
                'a default ' || setting || ' is configured; the context must only be set per transaction'
            FROM pg_db_role_setting s
            CROSS JOIN unnest(s.setconfig) AS c(setting)
            LEFT JOIN pg_roles r ON r.oid = s.setrole
            LEFT JOIN pg_database d ON d.oid = s.setdatabase
            WHERE c.setting LIKE 'app.current\\_%' AND (s.setdatabase = 0 OR d.datname = current_database())
            UNION ALL
            SELECT 'server configuration', 'the session starts with ' || name || ' = ' || value
            FROM (VALUES ('app.current_org_id', current_setting('app.current_org_id', true)),
                         ('app.current_user_id', current_setting('app.current_user_id', true))) AS v(name, value)
            WHERE coalesce(value, '') <> ''
            """)
    }
}
