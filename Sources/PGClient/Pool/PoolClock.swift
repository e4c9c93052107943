/// A point in the pool's time: how long after its clock's origin. The state machine works in
/// these, so that a test clock and the real one look the same to it.
package struct PoolInstant: InstantProtocol, Sendable {
    package var offset: Duration

    package init(offset: Duration) {
        self.offset = offset
    }

    package func advanced(by duration: Duration) -> PoolInstant {
        PoolInstant(offset: offset + duration)
    }

    package func duration(to other: PoolInstant) -> Duration {
        other.offset - offset
    }

    package static func < (lhs: PoolInstant, rhs: PoolInstant) -> Bool {
        lhs.offset < rhs.offset
    }
}

/// The time source of ``PGPool``: any `Clock` measured in `Duration` (the continuous clock in
/// production, a test clock in tests), seen through ``PoolInstant``.
struct PoolClock: Sendable {
    let now: @Sendable () -> PoolInstant
    let sleep: @Sendable (_ until: PoolInstant) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        now = { PoolInstant(offset: origin.duration(to: clock.now)) }
        sleep = { instant in try await clock.sleep(until: origin.advanced(by: instant.offset), tolerance: nil) }
    }
}
