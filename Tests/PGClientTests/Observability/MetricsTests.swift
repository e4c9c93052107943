import MetricsTestKit
import Synchronization
import Testing

@testable import PGClient

/// Metrics by OpenTelemetry's names, recorded by a `TestMetrics` each test gives its connection
/// or pool (the process-wide factory is never bootstrapped).
@Suite struct MetricsTests {
    /// The metrics labelled `label` whose dimensions include every one of `dimensions`.
    static func timers(_ metrics: TestMetrics, _ label: String, with dimensions: [String: String]) -> [TestTimer] {
        metrics.timers(label: label).filter { timer in
            dimensions.allSatisfy { key, value in timer.dimensions.contains { $0 == key && $1 == value } }
        }
    }

    @Test func eachOperationRecordsItsDurationWithTheConventionsDimensions() async throws {
        let metrics = TestMetrics()
        let config = try await TestDatabase.config()
        let host = try #require(config.hosts.first)
        try await Observed.withConnection(metrics: metrics) { connection in
            for value in Int32(1)...3 {
                _ = try await connection.query("SELECT \(value)").collect()
            }
            await #expect(throws: PGError.self) { try await connection.execute("INSERT INTO pg_temp.nothing VALUES (1)") }
        }
        let selects = Self.timers(metrics, "db.client.operation.duration", with: ["db.operation.name": "SELECT"])
        try #require(selects.count == 1)
        #expect(selects[0].values.count == 3)
        #expect(selects[0].displayUnit == .seconds)
        var expected: [String: String] = [
            "db.system.name": "postgresql", "db.namespace": config.database, "db.operation.name": "SELECT",
            "server.address": host.unixSocketPath ?? host.host,
        ]
        if !host.isUnixSocket { expected["server.port"] = String(host.port) }
        #expect(Dictionary(uniqueKeysWithValues: selects[0].dimensions) == expected)

        // 42P01: the table does not exist.
        let failed = Self.timers(
            metrics, "db.client.operation.duration",
            with: ["db.operation.name": "INSERT", "db.response.status_code": "42P01", "error.type": "42P01"])
        #expect(failed.first?.values.count == 1)
    }

    @Test func aConnectionWithoutAFactoryRecordsNothing() async throws {
        let metrics = TestMetrics()
        try await Observed.withConnection { connection in
            #expect(connection.instrumentation.metrics == nil)
            try await connection.execute("SELECT \(Int32(1))")
        }
        #expect(metrics.timers.isEmpty)
    }

    @Test func thePoolReportsOpenTelemetrysConnectionMetrics() async throws {
        let metrics = TestMetrics()
        var config = PGPool.Configuration.forTests(try await TestDatabase.config())
        config.connection.applicationName = "metered-pool"
        config.metricsFactory = metrics
        config.minConnections = 2
        config.maxConnections = 2
        config.acquireTimeout = .milliseconds(300)
        let pool = ["db.client.connection.pool.name": "metered-pool"]
        func gauge(_ label: String, _ extra: [String: String] = [:]) throws -> TestRecorder {
            try metrics.expectGauge(label, pool.merging(extra) { $1 }.map { ($0, $1) })
        }
        try await PGPool.withPool(config: config) { pool in
            // Opened first: the short acquire timeout is for the wait below, not for connecting.
            try await PGPoolIntegrationTests.waitUntil { pool.counts.idle == 2 }
            try await pool.withConnection { _ in
                try await pool.withConnection { _ async throws in
                    #expect(try gauge("db.client.connection.count", ["db.client.connection.state": "used"]).lastValue == 2)
                    // Both connections are lent out: the third caller waits, then times out.
                    await #expect(throws: PGError.self) { try await pool.execute("SELECT 1") }
                }
            }
            #expect(try gauge("db.client.connection.count", ["db.client.connection.state": "idle"]).lastValue == 2)
            #expect(try gauge("db.client.connection.count", ["db.client.connection.state": "used"]).lastValue == 0)
            // The one-off statement's connection comes through the pool's machine like any other.
            _ = try await pool.query("SELECT 1")
        }
        #expect(try gauge("db.client.connection.idle.max").lastValue == 2)
        #expect(try gauge("db.client.connection.idle.min").lastValue == 2)
        #expect(try gauge("db.client.connection.max").lastValue == 2)
        #expect(try gauge("db.client.connection.pending_requests").values.contains(1))
        #expect(try metrics.expectCounter("db.client.connection.timeouts", pool.map { ($0, $1) }).totalValue == 1)
        for label in ["create_time", "wait_time", "use_time"] {
            let timer = try metrics.expectTimer("db.client.connection.\(label)", pool.map { ($0, $1) })
            #expect(!timer.values.isEmpty, "\(label) recorded nothing")
            #expect(timer.displayUnit == .seconds)
        }
        #expect(try metrics.expectTimer("db.client.connection.create_time", pool.map { ($0, $1) }).values.count == 2)
        // The pool's connections report their operations to the pool's factory.
        #expect(!Self.timers(metrics, "db.client.operation.duration", with: ["db.operation.name": "SELECT"]).isEmpty)
        // One set of names: OpenTelemetry's, and no other.
        let labels = Set(metrics.recorders.map(\.label) + metrics.timers.map(\.label) + metrics.counters.map(\.label))
        #expect(labels.allSatisfy { $0.hasPrefix("db.client.") }, "\(labels)")
    }
}
