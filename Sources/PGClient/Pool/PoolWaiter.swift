/// A caller the pool's machine has queued for a connection.
enum PoolWaiter: Sendable {
    /// A lease (`withConnection` and what builds on it): resumed with the connection.
    case lease(UnsafeContinuation<PGConnection, any Error>)
    /// A one-off statement, started on the connection by whoever lends it one.
    case statement(PooledStatement)
}
