import PGClient

extension AuditCatalog {
    /// Function `p` (in namespace `n`) as `schema.name(argument types)`, whatever the session's
    /// search_path: the form ``AllowedDefiner/signature`` uses.
    static let functionName = """
        (quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || oidvectortypes(p.proargtypes) || ')')
        """

    /// The SECURITY DEFINER functions of the schemas (and `app`) that the application may call.
    func definerFunctions() async throws -> [DefinerFunction] {
        try await rows(
            """
            SELECT \(unescaped: Self.functionName), r.rolname::text, r.rolcanlogin, r.rolsuper, r.rolbypassrls,
                EXISTS (SELECT FROM unnest(p.proconfig) AS c(setting) WHERE c.setting LIKE 'search\\_path=%')
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_roles r ON r.oid = p.proowner
            WHERE n.nspname::text = ANY(\(schemas) || ARRAY['app']) AND p.prosecdef
              AND has_function_privilege(\(appRole), p.oid, 'EXECUTE')
            ORDER BY 1
            """
        ).map { row in
            let (signature, owner, login, superuser, bypass, pinned) = try row.decode(
                (String, String, Bool, Bool, Bool, Bool).self)
            return DefinerFunction(
                signature: signature, owner: owner, ownerCanLogin: login,
                ownerIsSuperuser: superuser, ownerBypassesRowSecurity: bypass,
                pinsSearchPath: pinned)
        }
    }

    /// What the owners of allow-listed functions own in this database besides those functions:
    /// a lookup role owns its lookups and nothing else (an owner may disable or bypass row-level
    /// security on what it owns).
    func lookupRoleObjects(_ allowed: [AllowedDefiner]) async throws -> [AuditFinding] {
        let owners = Array(Set(allowed.map(\.owner))).sorted()
        return try await findings(
            .unsafeLookupRole,
            """
            WITH objects(owner, kind, name) AS (
                SELECT c.relowner, 'relation', format('%I.%I', n.nspname, c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE \(unescaped: Self.ownSchema)
                UNION ALL
                SELECT n.nspowner, 'schema', quote_ident(n.nspname) FROM pg_namespace n WHERE \(unescaped: Self.ownSchema)
                UNION ALL
                SELECT p.proowner, 'function', \(unescaped: Self.functionName)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE \(unescaped: Self.ownSchema)
                UNION ALL
                SELECT datdba, 'database', quote_ident(datname) FROM pg_database WHERE datname = current_database())
            SELECT r.rolname::text, 'the lookup role owns ' || o.kind || ' ' || o.name || ', which is not allow-listed'
            FROM objects o JOIN pg_roles r ON r.oid = o.owner
            WHERE r.rolname::text = ANY(\(owners))
              AND NOT (o.kind = 'function' AND o.name = ANY(\(allowed.map(\.signature))))
            ORDER BY 1, 2
            """)
    }
}
