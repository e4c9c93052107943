import Logging
import NIOCore
import PGLocalCluster
import Synchronization
import Testing

@testable import PGClient

/// The pool's production features against the shared server: the password provider, the
/// hooks, the statistics, typed statements, streamed rows and COPY.
@Suite("Pool for production", .timeLimit(.minutes(15)))
struct PGPoolProductionTests {
    typealias Counter = PGPoolIntegrationTests.Counter

    /// A pool configuration for the shared server, as the superuser, named `application`.
    static func configuration(application: String) async throws -> PGPool.Configuration {
        let shared = try await SharedCluster.instance
        var config = try PGPoolIntegrationTests.configuration(shared.cluster, application: application)
        // Draining an abandoned stream or cleaning up must not be cut short on a loaded machine
        // (the full suite beside other builds: minutes, where alone it takes milliseconds).
        config.cleanupTimeout = .seconds(240)
        // Nor the cancel that stops an abandoned stream's statement: past this bound (5 s by
        // default) the connection closes and the pool replaces it, which the tests count as a
        // failure to give the connection back.
        config.connectionOptions.cancelTimeout = .seconds(240)
        return config
    }

    /// A value tasks share and change.
    final class Box<Value: Sendable>: Sendable {
        private let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        var current: Value {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }

    struct Refused: Error {}

    @Test func thePasswordProviderIsAskedBeforeEachConnectAndItsFreshTokenIsUsed() async throws {
        let shared = try await SharedCluster.instance
        let admin = try await shared.cluster.connect(sslmode: .disable)
        try await admin.simpleQuery("CREATE ROLE pool_token_user LOGIN PASSWORD 'token-1'")
        // No password in the settings: only the provider's token can log in.
        var connection = try shared.cluster.clientConfig(
            as: TestRoles.Role(name: "pool_token_user", password: nil), sslmode: .disable)
        connection.applicationName = "pool-token"
        var config = PGPool.Configuration(connection: connection)
        config.acquireTimeout = PGPool.Configuration.testAcquireTimeout
        config.maxConnections = 2
        let token = Box("token-1")
        let calls = Counter()
        config.passwordProvider = {
            calls.add()
            return token.current
        }
        try await PGPoolIntegrationTests.withPool(config) { pool in
            try await pool.withConnection { first in
                #expect(calls.count == 1)
                // The token rotates: the server now takes only the new one…
                try await admin.simpleQuery("ALTER ROLE pool_token_user PASSWORD 'token-2'")
                token.current = "token-2"
                // …and the next connection (the first is held) is made with it.
                let user = try await pool.withConnection { second in
                    #expect(second.id != first.id)
                    return try await second.scalar("SELECT current_user")
                }
                #expect(user == "pool_token_user")
                #expect(calls.count == 2)
            }
            let statistics = pool.statistics
            #expect(statistics.created == 2 && statistics.connectFailures == 0)
        }
        try await admin.simpleQuery("DROP ROLE pool_token_user")
        await admin.close()
    }

    @Test func aFailingPasswordProviderIsAFailedConnect() async throws {
        var config = try await Self.configuration(application: "pool-token-fails")
        config.acquireTimeout = .seconds(2)
        config.passwordProvider = { throw Refused() }
        try await PGPoolIntegrationTests.withPool(config) { pool async throws in
            let error = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
            #expect(error?.message.contains("password provider") == true)
            #expect(pool.statistics.connectFailures >= 1 && pool.statistics.created == 0)
        }
    }

    @Test func hooksRunBeforeConnectAfterConnectAndBeforeRelease() async throws {
        var config = try await Self.configuration(application: "pool-hooks")
        config.maxConnections = 1
        let order = Box<[String]>([])
        config.beforeConnect = { settings in
            order.current.append("before connect")
            var settings = settings
            settings.applicationName = "pool-hooked"
            return settings
        }
        config.setup = { connection in
            order.current.append("after connect")
            try await connection.simpleQuery("SET statement_timeout = '42s'")
        }
        config.beforeRelease = { connection in
            order.current.append("before release")
            // The hook sees the connection after the pool rolled back what the holder left open.
            #expect(connection.transactionStatus == .idle)
        }
        try await PGPoolIntegrationTests.withPool(config) { pool in
            let (application, timeout) = try await pool.withConnection { connection in
                try await connection.simpleQuery("BEGIN")
                return (try await connection.scalar("SHOW application_name"), try await connection.scalar("SHOW statement_timeout"))
            }
            #expect(application == "pool-hooked")
            #expect(timeout == "42s")
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.idle == 1 }
            #expect(order.current == ["before connect", "after connect", "before release"])
            #expect(pool.statistics.rollbacks == 1 && pool.statistics.closed == 0)
            // The same connection is lent again, still set up.
            #expect(try await pool.withConnection { try await $0.scalar("SHOW statement_timeout") } == "42s")
        }
    }

    @Test func aThrowingBeforeReleaseHookDiscardsTheConnection() async throws {
        var config = try await Self.configuration(application: "pool-release-hook")
        config.maxConnections = 1
        let releases = Counter()
        config.beforeRelease = { _ in
            releases.add()
            if releases.count == 1 { throw Refused() }
        }
        try await PGPoolIntegrationTests.withPool(config) { pool in
            let first = try await pool.withConnection { try await $0.scalar("SELECT pg_backend_pid()") }
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.closed == 1 }
            let second = try await pool.withConnection { try await $0.scalar("SELECT pg_backend_pid()") }
            #expect(first != nil && first != second)
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.idle == 1 }
            let statistics = pool.statistics
            #expect(statistics.created == 2 && statistics.closedAfterCleanupFailure == 1 && releases.count == 2)
        }
    }

    @Test func statisticsCountConnectionsWaitersAndTimeouts() async throws {
        var config = try await Self.configuration(application: "pool-statistics")
        config.minConnections = 1
        config.maxConnections = 1
        // Only the second caller below waits: the first takes the connection opened at start.
        config.acquireTimeout = .milliseconds(500)
        try await PGPoolIntegrationTests.withPool(config) { pool in
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.idle == 1 }
            #expect(pool.statistics.created == 1 && pool.statistics.open == 1)
            try await pool.withConnection { _ in
                #expect(pool.statistics.used == 1 && pool.statistics.idle == 0)
                // A second caller waits (pending) and, the connection being held, times out.
                let waiter = Task { try await pool.withConnection { _ in } }
                try await PGPoolIntegrationTests.waitUntil { pool.statistics.pending == 1 || pool.statistics.timeouts == 1 }
                await #expect(throws: PGError.self) { try await waiter.value }
                #expect(pool.statistics.timeouts == 1 && pool.statistics.pending == 0)
            }
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.idle == 1 }
            let statistics = pool.statistics
            #expect(statistics.used == 0 && statistics.created == 1 && statistics.closed == 0)
        }
    }
}
