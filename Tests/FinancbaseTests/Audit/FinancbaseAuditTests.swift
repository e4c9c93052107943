import Financbase
import FoundationEssentials
import PGClient
import Testing

@Suite("financbase audit against live databases")
struct FinancbaseAuditTests {
    /// A misconfiguration made as the administrator in a fresh database holding the test ledger,
    /// and the finding it must cause.
    struct Misconfiguration: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        var kind: AuditFinding.Kind
        var object: String
        var detail: String = ""

        var testDescription: String { name }
    }

    static let misconfigurations: [Misconfiguration] = [
        .init(
            name: "NO FORCE", sql: "ALTER TABLE financbase.test_ledger NO FORCE ROW LEVEL SECURITY",
            kind: .rowSecurityNotForced, object: "financbase.test_ledger"),
        .init(
            name: "DISABLE", sql: "ALTER TABLE financbase.test_ledger DISABLE ROW LEVEL SECURITY",
            kind: .rowSecurityDisabled, object: "financbase.test_ledger"),
        .init(
            name: "DROP POLICY tenant_delete",
            sql: "DROP POLICY tenant_delete ON financbase.test_ledger",
            kind: .missingPolicy, object: "financbase.test_ledger", detail: "DELETE"),
        .init(
            name: "a policy for another role only",
            sql: """
                DROP POLICY tenant_select ON financbase.test_ledger;
                CREATE POLICY tenant_select ON financbase.test_ledger FOR SELECT TO financbase_owner
                    USING (organization_id = (SELECT app.current_org_id()))
                """,
            kind: .missingPolicy, object: "financbase.test_ledger", detail: "SELECT"),
        .init(
            name: "an extra permissive policy that is not tenant-scoped",
            sql: "CREATE POLICY everything ON financbase.test_ledger FOR SELECT USING (true)",
            kind: .policyNotTenantScoped, object: "policy everything on financbase.test_ledger"),
        .init(
            name: "an UPDATE policy without WITH CHECK",
            sql: """
                DROP POLICY tenant_update ON financbase.test_ledger;
                CREATE POLICY tenant_update ON financbase.test_ledger FOR UPDATE
                    USING (organization_id = (SELECT app.current_org_id()))
                """,
            kind: .policyWithoutCheck, object: "policy tenant_update on financbase.test_ledger"),
        .init(
            name: "a view without security_invoker",
            sql:
                "CREATE VIEW financbase.ledger_totals AS SELECT organization_id, sum(amount) FROM financbase.test_ledger GROUP BY 1",
            kind: .viewNotSecurityInvoker, object: "financbase.ledger_totals"),
        .init(
            name: "GRANT TRUNCATE",
            sql: "GRANT TRUNCATE ON financbase.test_ledger TO financbase_app",
            kind: .unsafeTablePrivilege, object: "financbase.test_ledger", detail: "TRUNCATE"),
        .init(
            name: "GRANT CREATE on the schema",
            sql: "GRANT CREATE ON SCHEMA financbase TO financbase_app",
            kind: .createPrivilege, object: "schema financbase"),
        .init(
            name: "a table owned by the application",
            sql:
                "RESET ROLE; CREATE TABLE financbase.app_owned (organization_id uuid); ALTER TABLE financbase.app_owned OWNER TO financbase_app",
            kind: .ownsObject, object: "financbase.app_owned"),
        .init(
            name: "a materialized view of tenant rows",
            sql: """
                CREATE MATERIALIZED VIEW financbase.ledger_snapshot AS SELECT * FROM financbase.test_ledger;
                GRANT SELECT ON financbase.ledger_snapshot TO financbase_app
                """,
            kind: .unprotectedTenantRelation, object: "financbase.ledger_snapshot"),
        .init(
            name: "a SECURITY DEFINER function outside the allow-list",
            sql: """
                CREATE FUNCTION app.peek() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
                    SET search_path = pg_catalog AS 'SELECT count(*) FROM financbase.test_ledger';
                GRANT EXECUTE ON FUNCTION app.peek() TO financbase_app
                """,
            kind: .securityDefinerFunction, object: "app.peek()", detail: "not in the audit's allow-list"),
        .init(
            name: "an allow-listed lookup owned by the schema owner",
            sql: "RESET ROLE; ALTER FUNCTION app.current_user_role() OWNER TO financbase_owner",
            kind: .securityDefinerFunction, object: "app.current_user_role()",
            detail: "must be owned by financbase_lookup"),
        .init(
            name: "an allow-listed lookup without a pinned search_path",
            sql: "RESET ROLE; ALTER FUNCTION app.identity_for_clerk(text) RESET search_path",
            kind: .securityDefinerFunction, object: "app.identity_for_clerk(text)",
            detail: "does not SET search_path"),
        .init(
            name: "a table owned by the lookup role",
            sql:
                "RESET ROLE; CREATE TABLE financbase.lookup_owned (id int); ALTER TABLE financbase.lookup_owned OWNER TO financbase_lookup",
            kind: .unsafeLookupRole, object: "financbase_lookup", detail: "financbase.lookup_owned"),
    ]

    static func ledgerDatabase() async throws -> FinancbaseTestDatabase {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        return database
    }

    static func audit(_ database: FinancbaseTestDatabase, appRole: String = "financbase_app")
        async throws -> AuditReport
    {
        try await database.withAdminConnection {
            try await FinancbaseAudit.run(on: $0, appRole: appRole)
        }
    }

    @Test("a freshly migrated database with a tenant table passes")
    func cleanDatabasePasses() async throws {
        let database = try await Self.ledgerDatabase()
        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                SET ROLE financbase_owner;
                CREATE VIEW financbase.ledger_totals WITH (security_invoker = true) AS
                    SELECT organization_id, sum(amount) FROM financbase.test_ledger GROUP BY 1;
                GRANT SELECT ON financbase.ledger_totals TO financbase_app;
                """)
        }
        let report = try await Self.audit(database)
        #expect(report.offenders == [])
        #expect(report.isClean)
        #expect(report.tenantTables.contains("financbase.test_ledger"))
        // The two identity lookups are SECURITY DEFINER and allow-listed: neither is reported.
        #expect(!report.offenders.contains { $0.kind == .securityDefinerFunction })
    }

    @Test("each misconfiguration is caught with its finding", arguments: misconfigurations)
    func misconfigurationIsCaught(_ misconfiguration: Misconfiguration) async throws {
        let database = try await Self.ledgerDatabase()
        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery("SET ROLE financbase_owner; \(misconfiguration.sql)")
        }
        let report = try await Self.audit(database)
        #expect(!report.isClean)
        let matching = report.offenders.filter {
            $0.kind == misconfiguration.kind && $0.object == misconfiguration.object
                && (misconfiguration.detail.isEmpty || $0.detail.contains(misconfiguration.detail))
        }
        #expect(matching.count == 1, "\(report.offenders)")
    }

    @Test(
        "an unsafe application role is caught: attributes, membership of the owner, a session-level context"
    )
    func unsafeRoleIsCaught() async throws {
        let database = try await Self.ledgerDatabase()
        // Roles are cluster-wide: this test uses a role of its own, never financbase_app.
        let role =
            "fb_audit_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let databaseName = database.adminConfig.database
        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                CREATE ROLE \(role) LOGIN BYPASSRLS CREATEDB;
                GRANT financbase_owner TO \(role);
                ALTER ROLE \(role) IN DATABASE \(databaseName) SET app.current_org_id = '\(UUID().uuidString)';
                """)
        }
        let report = try await Self.audit(database, appRole: role)
        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                ALTER ROLE \(role) IN DATABASE \(databaseName) RESET ALL;
                REVOKE financbase_owner FROM \(role);
                DROP ROLE \(role);
                """)
        }
        let kinds = Dictionary(grouping: report.offenders, by: \.kind)
        #expect(
            kinds[.unsafeRoleAttribute]?.map(\.detail).sorted { $0 < $1 }.map {
                $0.components(separatedBy: ":")[0]
            }
                == ["the role has BYPASSRLS", "the role has CREATEDB"])
        // The owner, and through it the role that owns the identity lookups.
        #expect(kinds[.unsafeMembership]?.count == 2)
        #expect(kinds[.unsafeMembership]?.contains { $0.detail.contains("member of financbase_owner") } == true)
        #expect(kinds[.unsafeMembership]?.contains { $0.detail.contains("member of financbase_lookup") } == true)
        // Through the owner it owns every object of the schemas, the test ledger among them.
        #expect(kinds[.ownsObject]?.contains { $0.object == "financbase.test_ledger" } == true)
        #expect(kinds[.contextSetForSession]?.first?.object == "\(role) in \(databaseName)")
        // The policies are financbase_app's only (migration 0009): none covers another role.
        #expect(kinds[.missingPolicy]?.isEmpty == false)
    }

    @Test("a missing application role is an offender")
    func missingRoleIsCaught() async throws {
        let database = try await Self.ledgerDatabase()
        let report = try await Self.audit(database, appRole: "fb_no_such_role")
        #expect(report.offenders.map(\.kind).contains(.roleMissing))
    }

    @Test("a table without a tenant column is a global table while the application may only read it, an offender once it may write it")
    func globalTables() async throws {
        let database = try await Self.ledgerDatabase()
        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                SET ROLE financbase_owner;
                CREATE TABLE financbase.currencies (code text PRIMARY KEY);
                GRANT SELECT ON financbase.currencies TO financbase_app;
                """)
        }
        let report = try await Self.audit(database)
        #expect(report.isClean)
        #expect(report.globalTables.contains("financbase.currencies"))
        #expect(!report.tenantTables.contains("financbase.currencies"))
        for privilege in ["INSERT", "UPDATE", "DELETE"] {
            _ = try await database.withAdminConnection { connection in
                try await connection.simpleQuery("GRANT \(privilege) ON financbase.currencies TO financbase_app")
            }
            let writable = try await Self.audit(database)
            #expect(
                writable.offenders.map(\.kind) == [.writableGlobalTable]
                    && writable.offenders.first?.object == "financbase.currencies", "\(privilege)")
            #expect(!writable.globalTables.contains("financbase.currencies"))
            _ = try await database.withAdminConnection { connection in
                try await connection.simpleQuery("REVOKE \(privilege) ON financbase.currencies FROM financbase_app")
            }
        }
    }
}
