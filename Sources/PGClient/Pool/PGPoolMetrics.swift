import Metrics

/// The pool's metrics through swift-metrics, each with the dimension `pool` (the configuration's
/// `application_name`, or `pgwire`):
///
/// | label | kind | what |
/// | --- | --- | --- |
/// | `pg_pool_connections` (`state`: `open`, `idle`, `in_use`, `shared`, `connecting`) | gauge | connections (`shared`: of those in use, the ones shared by one-off statements) |
/// | `pg_pool_statements` | gauge | one-off statements running on shared connections |
/// | `pg_pool_waiters` | gauge | callers waiting for a connection |
/// | `pg_pool_acquire_duration` | timer | how long callers waited (also the immediate ones) |
/// | `pg_pool_acquire_timeouts` | counter | callers that got no connection in time |
/// | `pg_pool_errors` (`reason`: `connect`, `broken`, `cleanup`) | counter | failed connects, connections found broken, connections closed because they could not be cleaned |
struct PGPoolMetrics: Sendable {
    let open: Gauge
    let idle: Gauge
    let inUse: Gauge
    let shared: Gauge
    let statements: Gauge
    let connecting: Gauge
    let waiters: Gauge
    let acquireDuration: Metrics.Timer
    let timeouts: Counter
    let connectErrors: Counter
    let brokenConnections: Counter
    let cleanupFailures: Counter

    init(name: String) {
        func gauge(_ state: String) -> Gauge {
            Gauge(label: "pg_pool_connections", dimensions: [("pool", name), ("state", state)])
        }
        func errors(_ reason: String) -> Counter {
            Counter(label: "pg_pool_errors", dimensions: [("pool", name), ("reason", reason)])
        }
        open = gauge("open")
        idle = gauge("idle")
        inUse = gauge("in_use")
        shared = gauge("shared")
        statements = Gauge(label: "pg_pool_statements", dimensions: [("pool", name)])
        connecting = gauge("connecting")
        waiters = Gauge(label: "pg_pool_waiters", dimensions: [("pool", name)])
        acquireDuration = Metrics.Timer(label: "pg_pool_acquire_duration", dimensions: [("pool", name)])
        timeouts = Counter(label: "pg_pool_acquire_timeouts", dimensions: [("pool", name)])
        connectErrors = errors("connect")
        brokenConnections = errors("broken")
        cleanupFailures = errors("cleanup")
    }

    func record(_ counts: PoolStateMachine<Int, PoolInstant>.Counts) {
        open.record(counts.open)
        idle.record(counts.idle)
        inUse.record(counts.leased)
        shared.record(counts.shared)
        statements.record(counts.statements)
        connecting.record(counts.connecting)
        waiters.record(counts.waiters)
    }
}

extension Duration {
    /// The whole nanoseconds, for metrics.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
