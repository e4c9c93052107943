import Financbase
import Foundation
import PGClient

/// Shows, with the application role's own connections, that two tenants cannot see or touch
/// each other's rows: what each sees of every tenant table, a read and a write across the
/// line, and what a connection with no tenant context sees.
struct IsolationProof {
    let admin: PGConfig
    let app: PGConfig
    let store: FinancbaseStore
    let tenants: [SeededOrganization]

    /// Prints the proof; returns `false` when any check failed (a row of another tenant seen,
    /// a cross-tenant read or write not refused, rows seen without a context).
    func run() async throws -> Bool {
        guard tenants.count >= 2 else { return true }
        let (first, second) = (tenants[0], tenants[1])
        var ok = try await printVisibility()
        ok = try await crossTenantRead(from: first, of: second) && ok
        ok = try await crossTenantWrite(from: first, into: second) && ok
        ok = try await withoutContext() && ok
        return ok
    }

    /// Every tenant table: its rows as the administrator sees them (all tenants), as each
    /// tenant sees them, and how many of another organization each tenant saw (must be 0).
    private func printVisibility() async throws -> Bool {
        let tables = try await withConnection(admin) { try await Self.tenantTables($0) }
        let everything = try await withConnection(admin) { connection in
            try await tables.asyncMap { try await Self.count($0, on: connection).rows }
        }
        var seen: [[(rows: Int64, foreign: Int64)]] = []
        for tenant in tenants.prefix(2) {
            seen.append(
                try await withConnection(app) { connection in
                    try await Self.inContext(tenant.admin, on: connection) {
                        try await tables.asyncMap { try await Self.count($0, on: connection) }
                    }
                })
        }
        let names = tenants.prefix(2).map(\.name)
        Output.section(
            "Rows of each tenant table: all of them (as the administrator), then what financbase_app sees"
        )
        Output.line(
            "in each tenant's context, and how many of those belong to another organization.")
        var table = TextTable(
            [("table", .left), ("admin", .right)]
                + names.map { ("\($0.truncated(to: 18)) sees", .right) }
                + [("other tenants' rows seen", .right)])
        var ok = true
        for (index, name) in tables.enumerated() {
            let foreign = seen.reduce(Int64(0)) { $0 + $1[index].foreign }
            let sum = seen.reduce(Int64(0)) { $0 + $1[index].rows }
            ok = ok && foreign == 0 && sum <= everything[index]
            table.add(
                [name, String(everything[index])] + seen.map { String($0[index].rows) } + [
                    String(foreign)
                ])
        }
        Output.line(table.render())
        Output.line(
            "  (user_preferences are per user as well: the admin's context sees its own row only)")
        Output.line(
            ok
                ? "  ✔ every row each tenant saw carries its own organization_id"
                : "  ✘ a tenant saw rows of another organization")
        return ok
    }

    /// Reads `other`'s invoice by its id inside `tenant`'s unit of work: not found.
    private func crossTenantRead(from tenant: SeededOrganization, of other: SeededOrganization)
        async throws -> Bool
    {
        let invoice = try await store.withTenant(other.admin) { repos in
            try await repos.invoices.list(limit: 1).rows.first
        }
        guard let invoice else { return true }
        Output.section(
            "\(tenant.name) asks for \(other.name)'s invoice \(invoice.invoiceNumber) by its id")
        do {
            let leaked = try await store.withTenant(tenant.admin) { repos in
                try await repos.invoices.get(invoice.id)
            }
            Output.line("  ✘ it was returned: \(leaked.invoiceNumber)")
            return false
        } catch RepositoryError.notFound(let entity, let id) {
            Output.line(
                "  ✔ not found: no \(entity) row with id \(id.lowercased) is visible to \(tenant.name)"
            )
            return true
        }
    }

    /// Inserts a client into `other`'s organization from a transaction carrying `tenant`'s
    /// context, as raw SQL on the application role (no repository would even try): refused.
    private func crossTenantWrite(from tenant: SeededOrganization, into other: SeededOrganization)
        async throws -> Bool
    {
        Output.section(
            "\(tenant.name)'s context inserts a client into \(other.name), in raw SQL as financbase_app"
        )
        return try await withConnection(app) { connection in
            do {
                try await Self.inContext(tenant.admin, on: connection) {
                    _ = try await connection.execute(
                        """
                        INSERT INTO financbase.clients (organization_id, user_id, name, email)
                        VALUES (\(other.admin.organizationID), \(other.admin.userID), 'Intruder', 'intruder@example.com')
                        """)
                }
                Output.line("  ✘ the row was inserted")
                return false
            } catch let error as PGError where error.sqlState?.rawValue == "42501" {
                Output.line("  ✔ refused with SQLSTATE 42501: \(error.message)")
                return true
            }
        }
    }

    /// Counts rows on an application connection with no tenant context at all: none.
    private func withoutContext() async throws -> Bool {
        Output.section("financbase_app with no tenant context (no transaction, nothing set)")
        let tables = ["organizations", "invoices", "transactions", "expenses", "clients"]
        let counts = try await withConnection(app) { connection in
            try await tables.asyncMap { try await Self.count($0, on: connection).rows }
        }
        let ok = counts.allSatisfy { $0 == 0 }
        let listed = zip(tables, counts).map { "\($0) \($1)" }.joined(separator: ", ")
        Output.line("  \(ok ? "✔" : "✘") rows seen: \(listed)")
        return ok
    }

    /// The tables of schema `financbase` that hold tenant rows: those with an `organization_id`
    /// column, and `organizations` itself.
    static func tenantTables(_ connection: PGConnection) async throws -> [String] {
        try await connection.query(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'financbase' AND c.relkind = 'r'
              AND (c.relname = 'organizations' OR EXISTS (
                  SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped))
            ORDER BY c.relname
            """
        ).collect().map { try $0.decode(String.self, at: 0) }
    }

    /// The rows of `table` this connection sees, and how many of them belong to an organization
    /// other than the context's.
    static func count(_ table: String, on connection: PGConnection) async throws -> (
        rows: Int64, foreign: Int64
    ) {
        let column = table == "organizations" ? "id" : "organization_id"
        let rows = try await connection.query(
            """
            SELECT count(*), count(*) FILTER (WHERE \(identifier: column) IS DISTINCT FROM app.current_org_id())
            FROM financbase.\(identifier: table)
            """
        ).collect()
        guard let row = rows.first else { return (0, 0) }
        return try row.decode((Int64, Int64).self)
    }

    /// Runs `body` in a transaction whose tenant context is `context`, set the way the store
    /// sets it (`set_config(…, true)`: local to the transaction).
    static func inContext<Result>(
        _ context: TenantContext, on connection: PGConnection, _ body: () async throws -> Result
    ) async throws -> Result {
        try await connection.withTransaction { connection in
            _ = try await connection.query(
                """
                SELECT set_config('app.current_org_id', \(context.organizationID.uuidString.lowercased()), true),
                       set_config('app.current_user_id', \(context.userID.uuidString.lowercased()), true)
                """
            ).collect()
            return try await body()
        }
    }

    private func withConnection<Result>(
        _ config: PGConfig, _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await DatabaseConnection.with(config, body)
    }
}

extension Array {
    /// `transform` applied to each element in order, awaiting each.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
