/// One thing ``FinancbaseAudit`` found wrong (or worth knowing) about a database's row-level
/// security, its application role or its views.
///
/// ```swift
/// for finding in report.offenders {
///     print(finding.kind.rawValue, finding.object, finding.detail)
/// }
/// ```
public struct AuditFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What is wrong. The raw values are the names `financbase-db audit --json` prints.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A table with a tenant column has row-level security disabled.
        case rowSecurityDisabled = "row_security_disabled"
        /// A table with a tenant column does not FORCE row-level security, so its owner bypasses it.
        case rowSecurityNotForced = "row_security_not_forced"
        /// No permissive policy that applies to the application role covers a command.
        case missingPolicy = "missing_policy"
        /// An INSERT, UPDATE or ALL policy has no WITH CHECK expression.
        case policyWithoutCheck = "policy_without_check"
        /// A permissive policy's expression does not compare with `app.current_org_id()`.
        case policyNotTenantScoped = "policy_not_tenant_scoped"
        /// The application role does not exist.
        case roleMissing = "role_missing"
        /// The application role is superuser, BYPASSRLS, CREATEROLE, CREATEDB or REPLICATION.
        case unsafeRoleAttribute = "unsafe_role_attribute"
        /// The application role is a member of a role that is unsafe for it (the owner, a role
        /// with unsafe attributes, a predefined role that reads or writes everything).
        case unsafeMembership = "unsafe_membership"
        /// The application role owns an object, itself or through a role it is a member of.
        case ownsObject = "owns_object"
        /// The application role has TRUNCATE, REFERENCES or TRIGGER on a table.
        case unsafeTablePrivilege = "unsafe_table_privilege"
        /// The application role may CREATE in a schema or in the database.
        case createPrivilege = "create_privilege"
        /// A view runs with its owner's rights (no `security_invoker`), so it bypasses the
        /// caller's row-level security.
        case viewNotSecurityInvoker = "view_not_security_invoker"
        /// A relation with a tenant column that row-level security cannot protect (a
        /// materialized view, a foreign table) is readable by the application role.
        case unprotectedTenantRelation = "unprotected_tenant_relation"
        /// A tenant context is configured outside a transaction (a role or database default,
        /// the server's configuration).
        case contextSetForSession = "context_set_for_session"
        /// A table without a tenant column that the application role may INSERT, UPDATE or
        /// DELETE: every tenant shares its rows, so any tenant could change what all others see.
        /// (A table the application role may only read is a global table, listed in
        /// ``AuditReport/globalTables``.)
        case writableGlobalTable = "writable_global_table"
        /// A SECURITY DEFINER function the application role may call that is not in the audit's
        /// allow-list (``AllowedDefiner``), or is but is owned, or pins its `search_path`, not
        /// as the list requires: it runs with its owner's rights.
        case securityDefinerFunction = "security_definer_function"
        /// The owner of allow-listed SECURITY DEFINER functions owns something else too.
        case unsafeLookupRole = "unsafe_lookup_role"
    }

    /// What is wrong.
    public var kind: Kind
    /// The object concerned (`financbase.invoices`, `financbase_app`, `policy tenant_select on …`).
    public var object: String
    /// A sentence saying what was found.
    public var detail: String

    /// Creates a finding.
    public init(kind: Kind, object: String, detail: String) {
        self.kind = kind
        self.object = object
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(object): \(detail)" }
}
