import PGClient

/// What a lease costs by itself: `pool.withConnection` with an empty body, so no query and no
/// round trip — the pool's acquire and release, the waiter queue and the thread hops.
struct PoolLeaseOverhead: Sendable {
    /// Microseconds per acquire + release with `PoolShape.tasks` tasks over
    /// `PoolShape.connections` connections (waiters queue, as in `pool_64x`).
    var contendedMicros: Double
    /// Microseconds per acquire + release by one task alone (an idle connection is always free).
    var uncontendedMicros: Double

    /// The number of leases each measurement makes.
    static let leases = 20_000

    /// Measures both on a running, warmed-up pool.
    static func measure(_ pool: PGPool) async throws -> PoolLeaseOverhead {
        let perTask = leases / PoolShape.tasks
        let contended = try await timed(perTask * PoolShape.tasks) {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for _ in 0..<PoolShape.tasks {
                    tasks.addTask {
                        for _ in 0..<perTask { try await pool.withConnection { _ in } }
                    }
                }
                try await tasks.waitForAll()
            }
        }
        let uncontended = try await timed(leases) {
            for _ in 0..<leases { try await pool.withConnection { _ in } }
        }
        return PoolLeaseOverhead(
            contendedMicros: contended.seconds * 1e6 / Double(contended.ops),
            uncontendedMicros: uncontended.seconds * 1e6 / Double(uncontended.ops))
    }
}
