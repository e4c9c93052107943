import FoundationEssentials
import PGClient

extension BackupCatalog {
    /// What an organization export reads, taken as the administrator (row security off) in the
    /// export's snapshot before it reads anything as the application: whose context reads each
    /// table, and how many rows each holds for the organization, so the export can prove it
    /// read them all.
    struct OrganizationPlan: Sendable {
        /// One tenant table with its scope (from `app.tenant_tables`) and the organization's rows.
        struct Table: Sendable {
            var table: BackupCatalog.Table
            /// `user` for user-scoped tables (each user reads only their own rows); otherwise
            /// `organization` or `self`.
            var scope: String
            /// The organization's rows of the table.
            var rows: Int
            /// For user-scoped tables, the organization's rows per user, in user id order.
            var rowsByUser: [(user: UUID, rows: Int)]
        }

        /// The organization.
        var organization: UUID
        /// An active admin of the organization (or, when none, an active user or viewer): the
        /// organization-scoped tables are read in this user's context.
        var reader: UUID
        /// The organization's tenant tables, in name order (global tables are not exported).
        var tables: [Table]
    }

    /// The column naming a tenant table's organization: `id` in the organizations table,
    /// `organization_id` in the others.
    static func ownerColumn(of table: String) -> String {
        table == "financbase.organizations" ? "id" : "organization_id"
    }

    /// Throws unless the connected role may act as `financbase_app` (`SET ROLE`).
    ///
    /// - Throws: ``BackupError/roleCannotActAsApplication(role:)``, or `PGError`.
    static func requireApplicationRole(on connection: PGConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT current_user::text,
                   rolsuper OR pg_has_role(current_user, \(MigrationRoles.app), 'MEMBER')
            FROM pg_roles WHERE rolname = current_user
            """
        ).collect()
        let (role, allowed) = try rows.first?.decode((String, Bool).self) ?? ("?", false)
        guard allowed else { throw BackupError.roleCannotActAsApplication(role: role) }
    }

    /// The export plan of `organization`, read with row security off.
    ///
    /// - Throws: ``BackupError/organizationNotFound(_:)``, ``BackupError/noActiveReader(_:)``,
    ///   or `PGError`.
    static func organizationPlan(_ organization: UUID, on connection: PGConnection) async throws -> OrganizationPlan {
        let exists = try await connection.query(
            "SELECT EXISTS (SELECT FROM financbase.organizations WHERE id = \(organization))"
        ).collect().first?.decode(Bool.self, at: 0) ?? false
        guard exists else { throw BackupError.organizationNotFound(organization) }
        let readers = try await connection.query(
            """
            SELECT id FROM financbase.users
            WHERE organization_id = \(organization) AND is_active AND role IN ('admin', 'user', 'viewer')
            ORDER BY role = 'admin' DESC, role = 'user' DESC, id LIMIT 1
            """
        ).collect()
        guard let reader = try readers.first?.decode(UUID.self, at: 0) else {
            throw BackupError.noActiveReader(organization)
        }
        let scopes = try await connection.query("SELECT table_name::text, scope::text FROM app.tenant_tables")
            .collect().map { try $0.decode((String, String).self) }
        let scopeByTable = Dictionary(scopes, uniquingKeysWith: { a, _ in a })
        var planned: [OrganizationPlan.Table] = []
        for table in try await tables(on: connection) where table.holdsTenantRows {
            let scope = scopeByTable[table.name] ?? "organization"
            let owner = ownerColumn(of: table.name)
            let rows = try await connection.query(
                "SELECT count(*) FROM \(unescaped: table.name) WHERE \(unescaped: owner) = \(organization)"
            ).collect().first?.decode(Int.self, at: 0) ?? 0
            var byUser: [(UUID, Int)] = []
            if scope == "user" {
                byUser = try await connection.query(
                    """
                    SELECT user_id, count(*) FROM \(unescaped: table.name)
                    WHERE organization_id = \(organization) GROUP BY user_id ORDER BY user_id
                    """
                ).collect().map { try $0.decode((UUID, Int).self) }
            }
            planned.append(.init(table: table, scope: scope, rows: rows, rowsByUser: byUser))
        }
        return OrganizationPlan(organization: organization, reader: reader, tables: planned)
    }
}
