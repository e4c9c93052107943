public import PGClient

/// The data layer's entry point: a pool of connections as the application role, and the only
/// way to reach tenant data.
///
/// ```swift
/// let store = FinancbaseStore(pool: pool)
/// let invoices = try await store.withTenant(context) { repos in
///     try await repos.invoices.list(status: .overdue)
/// }
/// ```
public final class FinancbaseStore: Sendable {
    let pool: PGPool
    let monitor: QueryMonitor

    /// Creates a store over `pool`, whose connections log in as `financbase_app`.
    public init(pool: PGPool) {
        self.pool = pool
        self.monitor = QueryMonitor()
    }

    /// Runs `body` as one transaction for `context` on one pooled connection.
    ///
    /// Placeholder: the tenancy work sends BEGIN and the context in one round trip, checks it,
    /// and commits.
    public func withTenant<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ context: TenantContext,
        _ body: (TenantRepositories) async throws -> Result
    ) async throws -> Result {
        try await pool.withTransaction { connection in
            try await connection.execute(
                "SELECT set_config('app.current_org_id', \(context.organizationID.uuidString), true), set_config('app.current_user_id', \(context.userID.uuidString), true)")
            let session = TenantSession(context: context, connection: connection, monitor: monitor)
            return try await body(TenantRepositories(session: session))
        }
    }
}
