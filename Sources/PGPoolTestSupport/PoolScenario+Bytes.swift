import PGClient
import PGWireTestSupport

extension PoolScenario {
    /// Longer inputs are cut here, so that one fuzz input stays fast.
    package static let maximumSteps = 2048

    /// Runs the scenario that `bytes` spell (a `pool` fuzz input or seed): the first eight bytes
    /// choose the configuration, each further event takes a byte for the time that passes (up
    /// to 63 ms), one for its kind and a few for its details; then ``drain()``.
    ///
    /// - Returns: the finished scenario; its model holds any rule that was broken.
    package static func replaying(_ bytes: [UInt8]) -> PoolScenario {
        var source = ScenarioByteSource(bytes)
        var scenario = PoolScenario(configuration: configuration(&source))
        var steps = 0
        while !source.isExhausted, steps < maximumSteps {
            scenario.step(&source, maxMilliseconds: 64)
            steps += 1
        }
        scenario.drain()
        return scenario
    }

    /// A configuration within the bounds `PGPool.Configuration` enforces: limits, acquire
    /// timeout, idle timeout, lifetime and its jitter, health checks, backoff, statements per
    /// connection and per handoff, from eight bytes.
    static func configuration(_ source: inout ScenarioByteSource) -> Machine.Configuration {
        let limits = source.next()
        let maxConnections = 1 + Int(limits % 4)
        let minConnections = Int(limits >> 2) % (maxConnections + 1)
        let perConnection = 1 + Int(limits >> 5) % 4
        let acquireTimeout = Duration.milliseconds(source.next() % 101)
        let idle = source.next()
        let lifetime = source.next()
        let jitter = source.next()
        let health = source.next()
        let backoffByte = source.next()
        let backoff = Duration.milliseconds(1 + backoffByte % 50)
        let perHandoff = 1 + Int(backoffByte >> 6)
        let maximumBackoff = backoff + .milliseconds(source.next() % 200)
        let maxLifetime: Duration? = lifetime == 0 ? nil : .milliseconds(Int(lifetime) * 4)
        return .init(
            minConnections: minConnections, maxConnections: maxConnections, acquireTimeout: acquireTimeout,
            idleTimeout: idle == 0 ? nil : .milliseconds(Int(idle) * 2), maxLifetime: maxLifetime,
            maxLifetimeJitter: maxLifetime.map { min(.milliseconds(jitter), $0 / 2) } ?? .zero,
            healthCheckInterval: health == 0 ? nil : .milliseconds(health), backoffInitial: backoff,
            backoffMaximum: maximumBackoff, statementsPerConnection: perConnection, statementsPerHandoff: perHandoff)
    }
}
