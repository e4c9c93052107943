import Financbase
import FinancbaseAPI
import Foundation
import Logging
import PGClient
import PGLocalCluster

/// A throwaway PostgreSQL 15 shared by the suites (started on first use, stopped at exit); each
/// test takes a database of its own, migrated and seeded with the demo pair, as `demo.sh` does.
/// On the shared cluster the migration and the seed run once per set of organizations, into a
/// template that each test's database copies (`CREATE DATABASE … TEMPLATE`).
enum APITestServer {
    /// The application role's password in every test database.
    static let appPassword = "financbase-api-test-app-password"
    /// The key the tests' tokens are signed with.
    static let jwtKey = "financbase-api-test-key-0123456789abcdef"

    private static let starting = Task { try await start() }
    private static let templates = SeededTemplates()

    /// The shared cluster.
    static var cluster: PGLocalCluster {
        get async throws { try await starting.value }
    }

    private static func start() async throws -> PGLocalCluster {
        let cluster = try await PGLocalCluster.start(options: .init(isTLSEnabled: false))
        cluster.stopAtExit()
        return cluster
    }

    /// A new database on `cluster` (the shared one by default), migrated, with `organizations`
    /// seeded organizations (the demo pair by default). On the shared cluster it is a copy of a
    /// template seeded once.
    static func seededDatabase(
        on given: PGLocalCluster? = nil, organizations: [SeedOrganization] = SeedOrganization.demoPair
    ) async throws -> APITestDatabase {
        if let given { return try await seed(organizations, on: given) }
        let cluster = try await Self.cluster
        let template = try await templates.template(of: organizations) {
            try await seed(organizations, on: cluster)
        }
        var admin = try adminConfig(cluster)
        let name = newDatabaseName()
        _ = try await PGConnection.withConnection(config: admin) {
            try await $0.simpleQuery("CREATE DATABASE \(name) TEMPLATE \(template.adminConfig.database)")
        }
        admin.database = name
        var app = template.appConfig
        app.database = name
        return APITestDatabase(adminConfig: admin, appConfig: app, organizations: template.organizations)
    }

    /// A new database on `cluster`, migrated and seeded with `organizations`.
    private static func seed(_ organizations: [SeedOrganization], on cluster: PGLocalCluster) async throws -> APITestDatabase {
        var admin = try adminConfig(cluster)
        let name = newDatabaseName()
        _ = try await PGConnection.withConnection(config: admin) { try await $0.simpleQuery("CREATE DATABASE \(name)") }
        admin.database = name
        _ = try await PGConnection.withConnection(config: admin) { connection in
            try await MigrationRunner(migrations: try BundledMigrations.load(), appPassword: appPassword)
                .migrate(on: connection)
        }
        var app = admin
        app.user = "financbase_app"
        app.password = appPassword
        var pool = PGPool.Configuration(connection: app)
        pool.maxConnections = 4
        var logger = Logger(label: "financbase-api-test-seed")
        logger.logLevel = .error
        let seeded = try await PGPool.withPool(config: pool, logger: logger) { pool in
            try await Seeder(store: FinancbaseStore(pool: pool)).seed(organizations)
        }
        return APITestDatabase(adminConfig: admin, appConfig: app, organizations: seeded)
    }

    private static func adminConfig(_ cluster: PGLocalCluster) throws -> PGConfig {
        try PGConfig(
            connectionString: cluster.url(sslmode: .disable), overrides: [:], environment: [:],
            homeDirectory: "/nonexistent-financbase-api-test-home")
    }

    private static func newDatabaseName() -> String {
        "api_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}

/// A migrated, seeded database and who can sign in to it.
struct APITestDatabase: Sendable {
    /// The administrator's configuration for it.
    let adminConfig: PGConfig
    /// The application role's configuration for it.
    let appConfig: PGConfig
    /// The seeded organizations.
    let organizations: [SeededOrganization]

    /// The Clerk id of the admin of organization `index`.
    func clerkID(_ index: Int) -> String {
        "user_" + organizations[index].admin.userID.uuidString.lowercased()
    }

    /// Settings for a service on this database, on a free port.
    func settings(maxConnections: Int = 4) -> APISettings {
        var pool = PGPool.Configuration(connection: appConfig)
        pool.maxConnections = maxConnections
        pool.minConnections = 0
        // Only a hang should reach it.
        pool.acquireTimeout = .seconds(600)
        pool.connectBackoffInitial = .milliseconds(50)
        pool.connectBackoffMaximum = .milliseconds(400)
        pool.shutdownGracePeriod = .seconds(60)
        return APISettings(host: "127.0.0.1", port: 0, pool: pool, jwtKey: APITestServer.jwtKey, readinessTimeout: .seconds(2))
    }
}
