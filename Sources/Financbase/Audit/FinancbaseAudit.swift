public import PGClient

/// Checks a live database's row-level security, application role and views, read from the
/// catalogs through any connection that can see them (an administrator's, or the owner's).
///
/// A table holds tenant rows when it has an `organization_id` column or is called
/// `organizations`. Each must have row-level security enabled and FORCEd, and a permissive
/// policy applying to the application role for SELECT, INSERT, UPDATE and DELETE (a FOR ALL
/// policy covers all four; a command the application holds no privilege for, such as an
/// append-only table's UPDATE and DELETE, needs none), each comparing with
/// `app.current_org_id()`, INSERT and UPDATE ones with a WITH CHECK. The application role must not be superuser, BYPASSRLS, CREATEROLE,
/// CREATEDB or REPLICATION, nor a member of the owner role or of any role that is; it must own
/// nothing, hold no TRUNCATE, REFERENCES or TRIGGER privilege and may CREATE in no schema and
/// not in the database. Every view in the schemas must be `security_invoker`. No tenant context
/// may be configured outside a transaction. A table without a tenant column is a global table
/// (reference data every tenant shares, such as the plugin catalogue) when the application may
/// only read it, and an offender when it may change it. A SECURITY DEFINER function the application may call
/// must be in the allow-list (``AllowedDefiner``, by default the role and sign-in lookups owned by
/// `financbase_lookup`), owned by the role the list names, which cannot log in, has no SUPERUSER
/// or BYPASSRLS, owns nothing else and whose membership the application does not hold.
///
/// ```swift
/// let report = try await FinancbaseAudit.run(on: adminConnection)
/// for finding in report.offenders { print(finding) }
/// ```
public enum FinancbaseAudit {
    /// Audits the database `connection` is connected to.
    ///
    /// - Parameters:
    ///   - connection: an administrator's connection to the database to audit.
    ///   - appRole: the role the application logs in as.
    ///   - ownerRole: the role that owns the schema objects; the application must not be in it.
    ///   - schemas: the schemas whose tables and views are checked.
    ///   - allowedDefiners: the SECURITY DEFINER functions designed to be ones.
    /// - Throws: `PGError` when a catalog query fails.
    public static func run(
        on connection: PGConnection, appRole: String = "financbase_app",
        ownerRole: String = "financbase_owner", schemas: [String] = ["financbase"],
        allowedDefiners: [AllowedDefiner] = AllowedDefiner.lookups
    ) async throws -> AuditReport {
        let catalog = AuditCatalog(connection: connection, appRole: appRole, schemas: schemas)
        let tables = try await catalog.tenantTables()
        let policies = try await catalog.policies()
        var offenders: [AuditFinding] = []
        for table in tables {
            offenders += TenantPolicyRules.findings(
                table: table.name, rowSecurity: table.rowSecurity, forced: table.forced,
                policies: policies[table.name] ?? [], appRole: appRole, appCommands: table.appCommands)
        }
        offenders += try await catalog.viewsWithoutSecurityInvoker()
        offenders += try await catalog.sessionContexts()
        var globalTables: [String] = []
        if try await catalog.roleExists() {
            offenders += try await catalog.roleAttributes()
            offenders += try await catalog.unsafeMemberships(
                ownerRole: ownerRole, lookupRoles: allowedDefiners.map(\.owner))
            offenders += try await catalog.ownedObjects()
            offenders += try await catalog.unsafeTablePrivileges()
            offenders += try await catalog.createPrivileges()
            let shared = try await catalog.sharedAndUnguardedRelations()
            offenders += shared.offenders
            globalTables = shared.globalTables
            offenders += DefinerRules.findings(
                try await catalog.definerFunctions(), allowed: allowedDefiners, appRole: appRole)
            offenders += try await catalog.lookupRoleObjects(allowedDefiners)
        } else {
            offenders.append(
                AuditFinding(kind: .roleMissing, object: appRole, detail: "the role does not exist")
            )
        }
        return AuditReport(
            appRole: appRole, schemas: schemas, tenantTables: tables.map(\.name), globalTables: globalTables,
            offenders: offenders.sorted(by: Self.order))
    }

    private static func order(_ a: AuditFinding, _ b: AuditFinding) -> Bool {
        (a.object, a.kind.rawValue, a.detail) < (b.object, b.kind.rawValue, b.detail)
    }
}
