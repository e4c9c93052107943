import Synchronization

/// A connection lent by a pool to something that outlives the call that leased it (a row
/// stream, a COPY's data): it goes back to the pool once, when ``release()`` is called or when
/// the last holder of the lease lets go of it, whichever comes first.
final class PGPoolLease: Sendable {
    let connection: PGConnection
    private let pool: PGPool
    private let leasedAt: PoolInstant?
    private let released = Atomic<Bool>(false)

    init(pool: PGPool, connection: PGConnection, leasedAt: PoolInstant?) {
        self.pool = pool
        self.connection = connection
        self.leasedAt = leasedAt
    }

    /// Gives the connection back to the pool (the first call only).
    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        pool.release(connection, leasedAt: leasedAt)
    }

    deinit {
        // An abandoned stream: its connection goes back, and the pool drains what is unread.
        release()
    }
}
