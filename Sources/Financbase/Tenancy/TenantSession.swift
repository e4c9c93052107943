import PGClient

/// The connection of one tenant unit of work, lent to the repositories and to nobody else.
///
/// It exists only inside ``FinancbaseStore/withTenant(_:_:)``, after the transaction has begun and
/// the tenant context has been set and checked; its initializer is internal, so code outside this
/// module cannot send SQL to a tenant table except through a repository, and a repository cannot
/// be made without a session. Every statement carries a name, used for slow-query logs and
/// metrics (never its parameters).
public struct TenantSession: Sendable {
    /// The tenant this session acts for.
    public let context: TenantContext
    let connection: PGConnection
    let monitor: QueryMonitor

    init(context: TenantContext, connection: PGConnection, monitor: QueryMonitor) {
        self.context = context
        self.connection = connection
        self.monitor = monitor
    }

    /// Runs a statement named `name` and returns its rows, read into memory.
    func rows(_ name: StaticString, _ query: PGQuery) async throws -> [PGRow] {
        try await monitor.measure(name) { try await connection.query(query).collect() }
    }

    /// Runs a statement named `name` whose rows are not wanted.
    @discardableResult
    func execute(_ name: StaticString, _ query: PGQuery) async throws -> PGCommandResult {
        try await monitor.measure(name) { try await connection.execute(query) }
    }
}
