import FoundationEssentials
import PGClient

/// What backup and restore read from the server's catalog: the role's right to bypass
/// row-level security, the tables and their columns, emptiness, and the foreign keys to check.
enum BackupCatalog {
    /// One table to back up or restore.
    struct Table: Sendable, Equatable {
        /// Schema-qualified and quoted as needed, `financbase.invoices`.
        var name: String
        /// Column names, quoted as needed, in `attnum` order.
        var columns: [String]
        /// Whether the table holds an organization's rows (the organizations table, or a table
        /// with `organization_id`); the others are global (the plugin catalogue).
        var holdsTenantRows: Bool
    }

    /// The migration journal, backed up with the data and never restored over the target's own.
    static let journal = MigrationJournal.table

    /// Throws unless the connected role is a superuser or has BYPASSRLS. (The transactions of
    /// backup and restore then set `row_security = off` for themselves: a policy that would
    /// filter rows raises an error instead. Only for themselves: migrations on the same
    /// connection run as `financbase_owner`, whom forced policies must keep filtering.)
    ///
    /// - Throws: ``BackupError/roleDoesNotBypassRowSecurity(role:)``, or ``PGError``.
    static func requireRowSecurityBypass(on connection: PGConnection) async throws {
        let rows = try await connection.query(
            "SELECT current_user::text, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).collect()
        let (role, bypasses) = try rows.first?.decode((String, Bool).self) ?? ("?", false)
        guard bypasses else { throw BackupError.roleDoesNotBypassRowSecurity(role: role) }
    }

    /// Every table of the `financbase` schema in name order, then the journal when it exists.
    static func tables(on connection: PGConnection) async throws -> [Table] {
        let rows = try await connection.query(
            """
            SELECT format('%I.%I', n.nspname, c.relname),
                   array(SELECT quote_ident(a.attname::text) FROM pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                           AND a.attgenerated = '' ORDER BY a.attnum),
                   n.nspname = 'financbase' AND \(unescaped: AuditCatalog.holdsTenantRows)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND (n.nspname = 'financbase' OR c.oid = to_regclass(\(journal)))
            ORDER BY n.nspname = 'financbase' DESC, c.relname
            """
        ).collect()
        return try rows.map { row in
            let (name, columns, tenant) = try row.decode((String, [String], Bool).self)
            return Table(name: name, columns: columns, holdsTenantRows: tenant)
        }
    }

    /// The first tenant table (of `tables`) that has a row, or `nil` when all are empty.
    static func firstTableWithRows(_ tables: [Table], on connection: PGConnection) async throws -> String? {
        for table in tables where table.holdsTenantRows {
            let rows = try await connection.query("SELECT EXISTS (SELECT FROM \(unescaped: table.name))").collect()
            if try rows.first?.decode(Bool.self, at: 0) == true { return table.name }
        }
        return nil
    }

    /// One foreign key of the `financbase` schema with a query counting the rows that break it
    /// (MATCH SIMPLE: a row with a NULL in the key references nothing and breaks nothing).
    struct ForeignKey: Sendable {
        var table: String
        var constraint: String
        var violations: String
        /// Whether the referencing table has `organization_id` (its rows can be limited to one
        /// organization's).
        var hasOrganizationColumn: Bool
    }

    /// Every foreign key of the `financbase` schema.
    static func foreignKeys(on connection: PGConnection) async throws -> [ForeignKey] {
        let rows = try await connection.query(
            """
            SELECT format('%I.%I', n.nspname, c.relname), con.conname::text,
                   format('SELECT count(*) FROM %s AS c WHERE %s AND NOT EXISTS (SELECT FROM %s AS p WHERE %s)',
                       con.conrelid::regclass,
                       (SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ')
                        FROM unnest(con.conkey) AS k(attnum)
                        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                       con.confrelid::regclass,
                       (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')
                        FROM unnest(con.conkey, con.confkey) AS k(child, parent)
                        JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.child
                        JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.parent)),
                   EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = con.conrelid
                           AND a.attname = 'organization_id' AND NOT a.attisdropped)
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE con.contype = 'f' AND n.nspname = 'financbase'
            ORDER BY 1, 2
            """
        ).collect()
        return try rows.map { row in
            let (table, constraint, query, scoped) = try row.decode((String, String, String, Bool).self)
            return ForeignKey(table: table, constraint: constraint, violations: query, hasOrganizationColumn: scoped)
        }
    }

    /// Checks every foreign key of the schema: of every row, or of `organization`'s rows only
    /// (in tables with `organization_id`; the other tables' rows all).
    ///
    /// - Throws: ``BackupError/foreignKeyViolation(table:constraint:rows:)`` for the first broken
    ///   one, or ``PGError``.
    static func verifyForeignKeys(on connection: PGConnection, organization: UUID? = nil) async throws {
        for key in try await foreignKeys(on: connection) {
            var query = PGQuery(unsafeSQL: key.violations)
            if let organization, key.hasOrganizationColumn {
                query.sql += " AND c.organization_id = $1"
                try query.bindings.append(organization)
            }
            let rows = try await connection.query(query).collect()
            let count = try rows.first?.decode(Int.self, at: 0) ?? 0
            if count > 0 {
                throw BackupError.foreignKeyViolation(table: key.table, constraint: key.constraint, rows: count)
            }
        }
    }
}
