/// What ``PGPool`` does to a connection's session state when a holder gives the connection back.
///
/// A transaction left open is always rolled back, whatever the policy; the policy is about state
/// that outlives transactions: settings (`SET`), temporary tables, prepared statements made with
/// SQL `PREPARE`, `LISTEN`, cursors `WITH HOLD`, session advisory locks.
///
/// ```swift
/// var config = PGPool.Configuration(connection: try PGConfig("postgres://app@db/ledger"))
/// config.sessionReset = .discardAllAlways   // the holders take session advisory locks
/// ```
public enum PGSessionResetPolicy: Sendable, Hashable {
    /// Never reset: holders promise to leave the session as they found it.
    case none
    /// `DISCARD ALL` when the holder may have changed the session: a statement whose command tag
    /// changes session state (`SET`, `RESET`, `LISTEN`, `PREPARE`, `DECLARE CURSOR`, `CREATE
    /// TABLE`/`SEQUENCE`/`VIEW`, `LOAD`, `DISCARD` of a part) ran, or the server reported a
    /// changed parameter (`set_config` on a reported setting, `SET ROLE`). A lease that ran only
    /// ordinary queries costs no extra round trip. Not seen: session advisory locks taken with
    /// `SELECT pg_advisory_lock(…)` and temporary tables made with `SELECT … INTO TEMP`; use
    /// transaction-scoped locks, or ``discardAllAlways``.
    case discardAllWhenTouched
    /// `DISCARD ALL` after every lease: nothing survives, at the cost of one round trip per
    /// lease and of re-preparing statements.
    case discardAllAlways
}
