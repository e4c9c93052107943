import Metrics

/// The pool's metrics, by OpenTelemetry's names for database client connection pools, each with
/// the dimension `db.client.connection.pool.name` (the configuration's `application_name`, else
/// `host:port/database` of its first host):
///
/// | label | kind | what |
/// | --- | --- | --- |
/// | `db.client.connection.count` (`db.client.connection.state`: `idle`, `used`) | gauge | open connections, idle or lent out |
/// | `db.client.connection.idle.max` | gauge | the most idle connections kept (``PGPool/Configuration/maxConnections``) |
/// | `db.client.connection.idle.min` | gauge | the fewest (``PGPool/Configuration/minConnections``) |
/// | `db.client.connection.max` | gauge | the most connections open at once |
/// | `db.client.connection.pending_requests` | gauge | callers waiting for a connection |
/// | `db.client.connection.timeouts` | counter | callers that got none in time |
/// | `db.client.connection.create_time` | timer | opening a connection (connect and setup) |
/// | `db.client.connection.wait_time` | timer | how long a caller waited (immediate leases too) |
/// | `db.client.connection.use_time` | timer | from a lease to its return |
///
/// Made once, when the pool is; `nil` in the pool when its factory is the no-op one, so that
/// leases then record nothing and read no clock for it.
struct PGPoolMetrics: Sendable {
    let idle: Gauge
    let used: Gauge
    let pendingRequests: Gauge
    let timeouts: Counter
    let createTime: Metrics.Timer
    let waitTime: Metrics.Timer
    let useTime: Metrics.Timer

    init(poolName: String, minConnections: Int, maxConnections: Int, factory: any MetricsFactory) {
        let pool = [(PGTelemetryNames.poolName, poolName)]
        func gauge(_ label: String, _ extra: [(String, String)] = []) -> Gauge {
            Gauge(label: label, dimensions: pool + extra, factory: factory)
        }
        func timer(_ label: String) -> Metrics.Timer {
            Metrics.Timer(label: label, dimensions: pool, preferredDisplayUnit: .seconds, factory: factory)
        }
        idle = gauge(PGTelemetryNames.connectionCount, [(PGTelemetryNames.connectionState, "idle")])
        used = gauge(PGTelemetryNames.connectionCount, [(PGTelemetryNames.connectionState, "used")])
        pendingRequests = gauge(PGTelemetryNames.pendingRequests)
        timeouts = Counter(label: PGTelemetryNames.timeouts, dimensions: pool, factory: factory)
        createTime = timer(PGTelemetryNames.createTime)
        waitTime = timer(PGTelemetryNames.waitTime)
        useTime = timer(PGTelemetryNames.useTime)
        // The limits do not change: recorded once.
        gauge(PGTelemetryNames.idleMax).record(maxConnections)
        gauge(PGTelemetryNames.idleMin).record(minConnections)
        gauge(PGTelemetryNames.connectionMax).record(maxConnections)
    }

    func record(_ counts: PoolStateMachine<Int, PoolInstant>.Counts) {
        idle.record(counts.idle)
        used.record(counts.leased)
        pendingRequests.record(counts.waiters)
    }
}

extension Duration {
    /// The whole nanoseconds, for metrics.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
