import PGLocalCluster
import Testing

@testable import PGClient

/// The library's health check, as a readiness route and pgping use it, against a real server.
@Suite struct PGHealthCheckTests {
    @Test func aPoolIsHealthyThenNotWhileTheServerIsDownThenHealthyAgain() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            var config = try PGPoolIntegrationTests.configuration(cluster, application: "health")
            config.maxConnections = 2
            try await PGPoolIntegrationTests.withPool(config) { pool in
                let up = await pool.checkHealth(timeout: .seconds(60))
                #expect(up.isHealthy, "\(String(describing: up.error))")

                try await cluster.stopServer()
                // Down: the check fails (a closed connection, or no connection within the bound),
                // and returns instead of waiting for the pool's acquire timeout.
                let down = await pool.checkHealth(timeout: .seconds(2))
                #expect(!down.isHealthy)

                try await cluster.startServer()
                // Back: the pool reconnects (its backoff is short here); the bound only catches a hang.
                try await PGPoolIntegrationTests.waitUntil {
                    await pool.checkHealth(timeout: .seconds(5)).isHealthy
                }
            }
        }
    }

    @Test func aFailingQueryIsUnhealthyWithTheServersError() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let connection = try await PGConnection.connect(config: PGConfig(cluster.url(sslmode: .disable)))
            let result = await PGHealthCheck(query: "SELECT 1/0", timeout: .seconds(60)).run(on: connection)
            #expect(result.error?.sqlState == .divisionByZero)
            let passed = await PGHealthCheck(timeout: .seconds(60)).run(on: connection)
            #expect(passed.isHealthy)
            await connection.close()
        }
    }

    @Test func aSilentServerMissesTheBound() async throws {
        let listener = try SilentListener()
        var connection = try PGConfig("postgres://nobody@127.0.0.1:\(listener.port)/db?sslmode=disable")
        connection.connectTimeout = .seconds(10)
        var config = PGPool.Configuration(connection: connection)
        config.acquireTimeout = .seconds(600)
        config.shutdownGracePeriod = .zero
        try await PGPool.withPool(config: config) { pool in
            let result = await pool.checkHealth(timeout: .milliseconds(200))
            #expect(result.error?.kind == .timeout)
        }
    }
}
