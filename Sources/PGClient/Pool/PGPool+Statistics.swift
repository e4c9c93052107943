extension PGPool {
    /// A snapshot of a pool: its connections now (gauges) and what happened since it was made
    /// (counters). Take one with ``PGPool/statistics``.
    ///
    /// ```swift
    /// let stats = pool.statistics
    /// logger.info("pool", metadata: ["idle": "\(stats.idle)", "used": "\(stats.used)", "pending": "\(stats.pending)"])
    /// ```
    public struct Statistics: Sendable, Hashable {
        /// Connections open and idle, ready to lend.
        public var idle = 0
        /// Connections lent out (to `withConnection`, a stream, a COPY, or shared by one-off
        /// statements), or back and being cleaned before they are idle again.
        public var used = 0
        /// Connects under way.
        public var connecting = 0
        /// Callers waiting for a connection.
        public var pending = 0
        /// Connections open now (idle, used, or being checked or cleaned).
        public var open = 0
        /// Connections opened (and set up) since the pool was made.
        public var created = 0
        /// Connections the pool closed or found closed since it was made.
        public var closed = 0
        /// Connects started, successful or not.
        public var connectAttempts = 0
        /// Connects that failed (the server unreachable, credentials refused, a hook threw).
        public var connectFailures = 0
        /// Callers that gave up waiting after ``Configuration/acquireTimeout``.
        public var timeouts = 0
        /// Sessions reset with `DISCARD ALL` when a connection came back.
        public var resets = 0
        /// Transactions left open by a holder and rolled back by the pool.
        public var rollbacks = 0
        /// Returned connections closed because cleaning them failed (ROLLBACK or `DISCARD ALL`
        /// refused, ``Configuration/beforeRelease`` or ``Configuration/setup`` threw, or it took
        /// longer than ``Configuration/cleanupTimeout``).
        public var closedAfterCleanupFailure = 0

        /// Creates empty statistics.
        public init() {}
    }

    /// The pool's connections now and its counters since it was made; one consistent snapshot,
    /// taken under the pool's lock.
    ///
    /// ```swift
    /// if pool.statistics.pending > 0 { logger.warning("callers are waiting for connections") }
    /// ```
    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            let counts = state.machine.counts
            statistics.idle = counts.idle
            statistics.used = counts.leased
            statistics.connecting = counts.connecting
            statistics.pending = counts.waiters
            statistics.open = counts.open
            return statistics
        }
    }
}
