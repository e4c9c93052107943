import Financbase
import Foundation
import PGClient
import Testing

@testable import Financbase

/// The design at the old system's scale: the real tenant tables plus generated ones up to
/// `FINANCBASE_TENANT_TABLES` (250 with `Scripts/tenant-tables.sh`; fewer in the everyday
/// suite), then migrate, audit, no context, cross-tenant and the role matrix over every one of
/// them, each timed for the report; one table broken on purpose is the only one caught.
@Suite("Row-level security at scale: hundreds of tenant tables")
struct TenantTableScaleTests {
    /// How many tenant tables the database gets in all.
    static let tableCount: Int = {
        let setting = ProcessInfo.processInfo.environment["FINANCBASE_TENANT_TABLES"].flatMap { Int($0) }
        return setting ?? 60
    }()

    static func timed<Result>(
        _ label: String, into report: inout [String], _ body: () async throws -> Result
    ) async rethrows -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await body()
        let elapsed = start.duration(to: clock.now)
        report.append("  \(label): \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
        return result
    }

    @Test("migrate, audit, no context, cross-tenant and the role matrix over every tenant table; one broken table is found")
    func everyTableHolds() async throws {
        var report: [String] = []
        let database = try await FinancbaseTestServer.freshDatabase(migrated: false)
        try await Self.timed("migrate (every bundled migration)", into: &report) {
            try await database.withAdminConnection { connection in
                let runner = MigrationRunner(
                    migrations: try BundledMigrations.load(), appPassword: FinancbaseTestServer.appPassword)
                try await runner.migrate(on: connection)
            }
        }
        let organizations = try await Self.timed("seed two organizations through the application", into: &report) {
            try await database.withStore { store in
                try await Seeder(store: store, options: SeededDatabase.options).seed()
            }
        }
        let real = try await database.withAdminConnection { try await AccessMatrix.tenantTables(on: $0) }.count
        let generated = max(0, Self.tableCount - real)
        try await Self.timed("make \(generated) tables through app.make_tenant_table, with rows", into: &report) {
            try await GeneratedTenantTables.add(generated, to: database)
        }
        let tables = try await database.withAdminConnection { try await AccessMatrix.tenantTables(on: $0) }
        #expect(tables.count == max(real, Self.tableCount))

        let clean = try await Self.timed("audit of \(tables.count) tenant tables", into: &report) {
            try await database.withAdminConnection { try await FinancbaseAudit.run(on: $0) }
        }
        #expect(clean.isClean, "\(clean.offenders)")
        #expect(clean.tenantTables.count == tables.count)

        let unseen = try await Self.timed("no context: every table read as the application", into: &report) {
            try await database.withAppConnection { connection in
                var seen: [String] = []
                for table in tables {
                    let count = try await connection.query("SELECT count(*) FROM \(unescaped: table)").collect()[0]
                        .decode(Int64.self, at: 0)
                    if count != 0 { seen.append("\(table): \(count)") }
                }
                return seen
            }
        }
        #expect(unseen.isEmpty, "rows seen without a context: \(unseen)")

        let (mine, theirs) = (organizations[0], organizations[1])
        let leaks = try await Self.timed("cross-tenant: read, change and insert the other organization's rows, every table", into: &report) {
            try await CrossTenantProbe(database: database, actor: mine.admin, other: theirs.admin.organizationID)
                .leaks(in: tables)
        }
        #expect(leaks.isEmpty, "cross-tenant access: \(leaks)")

        // One table broken on purpose: the audit names it and nothing else, and the matrix finds
        // unexpected cells in it and nowhere else.
        let broken = tables.first { $0.hasPrefix("financbase.gen_") } ?? "financbase.clients"
        try await GeneratedTenantTables.misconfigure(broken, in: database)
        let audit = try await database.withAdminConnection { try await FinancbaseAudit.run(on: $0) }
        #expect(Set(audit.offenders.map(\.object)) == ["policy tenant_select on \(broken)"], "\(audit.offenders)")
        let caught = try await CrossTenantProbe(database: database, actor: mine.admin, other: theirs.admin.organizationID)
            .leaks(in: [broken])
        #expect(caught.count == 1, "the probe sees the broken table's foreign rows")

        let (rules, parents) = try await database.withAdminConnection { try await AccessMatrix.declarations(on: $0) }
        let matrix = try await Self.timed("role matrix: \(tables.count) tables × 6 actors × 4 commands × 2 targets", into: &report) {
            try await AccessMatrixSweep(
                database: database, organization: mine.admin.organizationID, people: mine.people, rules: rules,
                parentColumns: parents
            ).run(tables)
        }
        #expect(matrix.cells == tables.count * 48)
        #expect(matrix.tally["skipped", default: 0] == 0, "\(matrix.wrong.filter { $0.hasSuffix("no target row") })")
        let wrongTables = Set(matrix.wrong.map { String($0.prefix { $0 != " " }) })
        #expect(wrongTables == [broken], "\(matrix.wrong.prefix(20))")
        report.insert("Tenant tables at scale: \(tables.count) (\(real) real, \(generated) generated); \(matrix.summary)", at: 0)
        print(report.joined(separator: "\n"))
    }
}

/// Acting for one organization's admin as the application, tries to read, change and add rows
/// of another organization in each table; each try is rolled back.
struct CrossTenantProbe {
    let database: FinancbaseTestDatabase
    let actor: TenantContext
    let other: UUID

    /// The tables where something of the other organization was seen, changed or added.
    func leaks(in tables: [String]) async throws -> [String] {
        // The other organization's rows, as the administrator sees them, to copy.
        let copies = try await database.withAdminConnection { connection in
            var copies: [String: String] = [:]
            for table in tables {
                let column = table == "financbase.organizations" ? "id" : "organization_id"
                copies[table] = try await connection.query(
                    """
                    SELECT (to_jsonb(s) || jsonb_build_object('id', gen_random_uuid()))::text
                    FROM \(unescaped: table) s WHERE s.\(unescaped: column) = \(other) LIMIT 1
                    """
                ).collect().first?.decode(String.self, at: 0)
            }
            return copies
        }
        return try await database.withAppConnection { connection in
            var leaks: [String] = []
            for table in tables {
                let column = table == "financbase.organizations" ? "id" : "organization_id"
                try await connection.simpleQuery("BEGIN")
                _ = try await connection.query(
                    """
                    SELECT set_config('app.current_org_id', \(actor.organizationID.uuidString), true),
                           set_config('app.current_user_id', \(actor.userID.uuidString), true)
                    """
                ).collect()
                let seen = try await connection.query(
                    "SELECT count(*) FROM \(unescaped: table) WHERE \(unescaped: column) = \(other)"
                ).collect()[0].decode(Int64.self, at: 0)
                let changed = try await refusedOrCount(on: connection) {
                    try await connection.execute(
                        "UPDATE \(unescaped: table) SET id = id WHERE \(unescaped: column) = \(other)"
                    ).rowCount ?? 0
                }
                var inserted = false
                if let copy = copies[table] ?? nil {
                    inserted = try await refusedOrCount(on: connection) {
                        try await connection.execute(
                            "INSERT INTO \(unescaped: table) SELECT * FROM jsonb_populate_record(NULL::\(unescaped: table), \(copy)::jsonb)"
                        ).rowCount ?? 0
                    } > 0
                } else {
                    leaks.append("\(table): the other organization has no row to copy")
                }
                try await connection.simpleQuery("ROLLBACK")
                if seen > 0 || changed > 0 || inserted {
                    leaks.append("\(table): saw \(seen), changed \(changed), inserted \(inserted)")
                }
            }
            return leaks
        }
    }

    /// The rows `attempt` touched, or 0 when the server refused it with 42501 (no privilege or
    /// a policy's WITH CHECK); the refusal is rolled back to a savepoint so the probe goes on.
    private func refusedOrCount(on connection: PGConnection, _ attempt: () async throws -> Int64) async throws -> Int64 {
        try await connection.simpleQuery("SAVEPOINT probe")
        do {
            let count = try await attempt()
            try await connection.simpleQuery("RELEASE SAVEPOINT probe")
            return count
        } catch let error as PGError where error.sqlState == .insufficientPrivilege {
            try await connection.simpleQuery("ROLLBACK TO SAVEPOINT probe")
            return 0
        }
    }
}
