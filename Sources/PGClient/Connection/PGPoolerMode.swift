/// What stands between the driver and PostgreSQL: nothing, or a pooler in transaction mode. The
/// one preset that makes the driver safe behind PgBouncer (`pool_mode = transaction`, 1.18 and
/// older, which pass no prepared statements through) and poolers like it; every rule of it is
/// here.
///
/// Behind a transaction-mode pooler, consecutive transactions of one client connection may run
/// on different server sessions, and a server session serves other clients between them. So
/// with ``transaction``:
/// - every statement is sent as the unnamed statement: no statement cache, whatever
///   ``PGConnection/Options/statementCacheCapacity`` says;
/// - ``PGConnection/prepare(_:parameters:logger:)``, ``PGConnection/listen(_:)`` and
///   ``PGListener`` fail at once with ``PGError/Kind/invalidUsage`` (nothing sent), since the
///   statement or the subscription would live on a session the next transaction may not get;
/// - ``PGPool`` resets no sessions (a `DISCARD ALL` would reach some other session): the pool's
///   ``PGPool/Configuration/sessionReset`` is ignored.
///
/// What the driver cannot see before it is sent stays the caller's rule: no `SET` outside a
/// transaction (use `SET LOCAL` or `set_config(…, true)` inside one), no session advisory locks,
/// no temporary tables that outlive a transaction.
///
/// ```swift
/// var config = PGPool.Configuration(connection: try PGConfig("postgres://app@pgbouncer:6432/ledger"))
/// config.connectionOptions.pooler = .transaction
/// ```
public enum PGPoolerMode: Sendable, Hashable {
    /// The driver talks to PostgreSQL itself, or through a session-mode pooler (the default).
    case none
    /// A pooler in transaction mode, such as PgBouncer with `pool_mode = transaction`.
    case transaction

    /// The statement cache's capacity under this mode: `requested`, or 0 (unnamed statements only).
    func statementCacheCapacity(requested: Int) -> Int {
        self == .transaction ? 0 : requested
    }

    /// Whether a pool may reset sessions as its policy says.
    var resetsSessions: Bool { self == .none }

    /// Fails with ``PGError/Kind/invalidUsage`` when `feature` needs a session of its own, which
    /// this mode does not give.
    ///
    /// - Throws: ``PGError/Kind/invalidUsage``, not sent, under ``transaction``.
    func requireSession(for feature: String) throws(PGError) {
        guard self == .transaction else { return }
        throw PGError(
            .invalidUsage,
            message: "\(feature) needs a server session of its own, which a transaction-mode pooler "
                + "(PGConnection.Options.pooler = .transaction) does not keep between transactions",
            requestWasSent: false)
    }
}
