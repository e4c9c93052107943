import Financbase
import Foundation
import Logging
import PGClient
import PGLocalCluster

/// The one server the Financbase tests share: `PGWIRE_TEST_URL` when set (an administrator's
/// URL), else a throwaway cluster started on first use and stopped at exit.
///
/// Each suite takes a database of its own from ``freshDatabase(migrated:)``, so suites run in
/// parallel without seeing each other's rows; the roles are cluster-wide and shared.
///
/// ```swift
/// let db = try await FinancbaseTestServer.freshDatabase()
/// try await db.withStore { store in … }
/// ```
enum FinancbaseTestServer {
    /// The application role's password in every test database.
    static let appPassword = "financbase-test-app-password"

    /// The administrator's configuration for the `postgres` database.
    static var adminConfig: PGConfig {
        get async throws { try await starting.value }
    }

    private static let starting = Task { try await start() }

    private static func start() async throws -> PGConfig {
        if let url = ProcessInfo.processInfo.environment["PGWIRE_TEST_URL"], !url.isEmpty {
            return try isolated(url)
        }
        // Suites migrate their databases in parallel, and one migration transaction (the
        // scale test's hundreds of tenant tables, each with its policies and trigger) holds
        // thousands of locks. The shared lock table holds max_locks_per_transaction ×
        // max_connections; at the default 64 a CI run ran out of it ("out of shared memory",
        // 53200) while ten suites migrated at once.
        var options = PGLocalCluster.Options()
        options.settings["max_locks_per_transaction"] = "512"
        let cluster = try await PGLocalCluster.start(options: options)
        cluster.stopAtExit()
        return try isolated(cluster.url)
    }

    /// A new, empty database; with `migrated`, every bundled migration applied. `server` is the
    /// administrator's configuration of another server (a primary with a replica, say); `nil` is
    /// the shared one.
    static func freshDatabase(migrated: Bool = true, on server: PGConfig? = nil) async throws -> FinancbaseTestDatabase {
        var admin: PGConfig
        if let server { admin = server } else { admin = try await adminConfig }
        let name = "fb_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let connection = try await PGConnection.connect(config: admin)
        do {
            try await connection.simpleQuery("CREATE DATABASE \(name)")
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        admin.database = name
        let database = FinancbaseTestDatabase(adminConfig: admin)
        if migrated {
            // No queue: the runner makes the cluster-wide roles safely while other databases
            // migrate at the same moment, which every parallel test run exercises.
            try await database.withAdminConnection { connection in
                let runner = MigrationRunner(
                    migrations: try BundledMigrations.load(), appPassword: appPassword)
                try await runner.migrate(on: connection)
            }
        }
        return database
    }

    static func isolated(_ url: String) throws -> PGConfig {
        try PGConfig(
            connectionString: url, overrides: [:], environment: [:],
            homeDirectory: "/nonexistent-financbase-test-home")
    }
}

/// A database of one test suite, reached as the administrator or as `financbase_app`.
struct FinancbaseTestDatabase: Sendable {
    /// The administrator's configuration for this database.
    let adminConfig: PGConfig

    /// The application role's configuration for this database.
    var appConfig: PGConfig {
        var config = adminConfig
        config.user = "financbase_app"
        config.password = FinancbaseTestServer.appPassword
        return config
    }

    /// Runs `body` with a new administrator connection, closed afterwards.
    @discardableResult
    func withAdminConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await PGConnection.withConnection(config: adminConfig, body)
    }

    /// Runs `body` with a new connection as `financbase_app`, closed afterwards.
    @discardableResult
    func withAppConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await PGConnection.withConnection(config: appConfig, body)
    }

    /// Runs `body` with a store (and its pool) of up to `maxConnections` as `financbase_app`;
    /// the pool runs for the duration of `body`.
    func withPoolAndStore<Result: Sendable>(
        maxConnections: Int = 4, options: FinancbaseStore.Options = .init(),
        _ body: (PGPool, FinancbaseStore) async throws -> Result
    ) async throws -> Result {
        var configuration = PGPool.Configuration(connection: appConfig)
        configuration.maxConnections = maxConnections
        configuration.minConnections = 0
        // Only a hang should reach it: the 1,000-unit test queues hundreds of callers behind six
        // connections, and on a loaded CI machine the last waited over 120 s.
        configuration.acquireTimeout = .seconds(900)
        var logger = Logger(label: "financbase-test")
        logger.logLevel = .error
        return try await PGPool.withPool(config: configuration, logger: logger) { pool in
            try await body(pool, FinancbaseStore(pool: pool, options: options))
        }
    }

    /// Runs `body` with a store over a pool of up to `maxConnections` as `financbase_app`.
    func withStore<Result: Sendable>(
        maxConnections: Int = 4, options: FinancbaseStore.Options = .init(),
        _ body: (FinancbaseStore) async throws -> Result
    ) async throws -> Result {
        try await withPoolAndStore(maxConnections: maxConnections, options: options) { _, store in
            try await body(store)
        }
    }
}
