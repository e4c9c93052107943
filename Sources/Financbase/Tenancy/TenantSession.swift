import Logging
import PGClient
import Synchronization

/// The connection of one tenant unit of work, lent to the repositories and to nobody else.
///
/// It exists only inside ``FinancbaseStore/withTenant(isolation:_:logger:_:)``, after the transaction has
/// begun and the tenant context has been set and checked; its initializer is internal, so code
/// outside this module cannot send SQL to a tenant table except through a repository, and a
/// repository cannot be made without a session. Every statement carries a name, used for
/// slow-query logs and metrics (never its parameters).
///
/// A session outlives its unit only by mistake (a repository kept in a property or returned
/// from the closure); such a session refuses every statement with
/// ``FinancbaseError/sessionEnded(statement:)`` instead of using a connection that has gone back
/// to the pool.
public struct TenantSession: Sendable {
    /// The tenant this session acts for.
    public let context: TenantContext
    /// The context user's role as the server read it from `financbase.users` when the unit
    /// began; `nil` when the user is unknown or deactivated there (such a unit reads and writes
    /// nothing) or is provisioning its organization.
    public let role: UserRole?
    let connection: PGConnection
    let monitor: QueryMonitor
    let unit: TenantUnit
    /// Where the driver's lines for this unit's statements go (a request's logger, with its
    /// request id); `nil`: the connection's own.
    let logger: Logger?

    /// Runs a statement named `name` and returns its rows, read into memory.
    ///
    /// - Throws: `PGError` from the server or the connection; ``FinancbaseError/sessionEnded(statement:)``
    ///   when the unit of work has ended.
    func rows(_ name: StaticString, _ query: PGQuery) async throws -> [PGRow] {
        try unit.checkOpen(name)
        return try await monitor.measure(name) { try await connection.query(query, logger: logger).collect() }
    }

    /// Runs a statement named `name` whose rows are not wanted.
    ///
    /// - Throws: as ``rows(_:_:)``.
    @discardableResult
    func execute(_ name: StaticString, _ query: PGQuery) async throws -> PGCommandResult {
        try unit.checkOpen(name)
        return try await monitor.measure(name) { try await connection.execute(query, logger: logger) }
    }
}

/// Whether a unit of work is still running; shared by every copy of its session.
final class TenantUnit: Sendable {
    private let ended = Atomic<Bool>(false)

    /// Marks the unit ended: its session refuses statements from now on.
    func end() {
        ended.store(true, ordering: .releasing)
    }

    func checkOpen(_ statement: StaticString) throws(FinancbaseError) {
        if ended.load(ordering: .acquiring) {
            throw .sessionEnded(statement: "\(statement)")
        }
    }
}
