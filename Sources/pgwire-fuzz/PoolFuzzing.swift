import PGPoolTestSupport

/// The `pool` entry: the pool's state machine driven by an event sequence decoded from the input
/// (`PoolScenario.replaying`), checked by `PoolModel`, the model the pool's random tests use: no
/// connection leased twice or held alone while shared, leases first come first served, every
/// waiter ending exactly once and for a reason that holds, at most `maxConnections`, counts that
/// agree, events about forgotten connections ignored; and once the input is spent, with only the
/// timers the machine armed, every waiter ended, everything returned, and an immediate shutdown
/// that completes.
enum PoolFuzzing {
    static func run(_ input: [UInt8]) {
        let scenario = PoolScenario.replaying(input)
        fuzzCheck(scenario.model.violations.isEmpty, scenario.model.violations.joined(separator: "; "))
    }
}
