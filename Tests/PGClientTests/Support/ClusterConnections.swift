import Foundation
import PGClient
import PGLocalCluster
import Testing

extension PGLocalCluster {
    /// A client configuration for this cluster, built from its URI, independent of the
    /// developer's `PG*` variables and `~/.pgpass`.
    ///
    /// - Parameters:
    ///   - role: the role; `nil` is the superuser.
    ///   - password: overrides the role's password (`""` sends none).
    ///   - sslmode: `nil` is `verify-full` with the cluster's CA.
    ///   - overrides: more libpq keywords (`channel_binding`, `require_auth`, `sslcert`, …).
    func clientConfig(
        as role: TestRoles.Role? = nil, password: String? = nil, database: String = "postgres",
        sslmode: PGLocalCluster.SSLMode? = nil, overrides: [String: String] = [:]
    ) throws -> PGConfig {
        let uri = url(
            user: role?.name, password: password ?? role?.password, database: database,
            sslmode: sslmode)
        return try PGConfig.isolated(uri, overrides: overrides)
    }

    /// Connects with ``clientConfig(as:password:database:sslmode:overrides:)``.
    func connect(
        as role: TestRoles.Role? = nil, password: String? = nil, database: String = "postgres",
        sslmode: PGLocalCluster.SSLMode? = nil, overrides: [String: String] = [:]
    ) async throws -> PGConnection {
        let config = try clientConfig(
            as: role, password: password, database: database, sslmode: sslmode, overrides: overrides)
        return try await PGConnection.connect(config: config)
    }
}

extension PGConfig {
    /// A home directory that does not exist, so no `~/.pgpass` of the developer's is read.
    static let noHome = "/nonexistent-pgwire-test-home"

    /// Parses a connection string with no `PG*` variables and no password file.
    static func isolated(_ connectionString: String, overrides: [String: String] = [:]) throws -> PGConfig {
        try PGConfig(
            connectionString: connectionString, overrides: overrides, environment: [:],
            homeDirectory: noHome)
    }
}

/// The server for tests that need nothing special: `PGWIRE_TEST_URL` when set (any PostgreSQL
/// the developer points at, reached with that URL alone), else the shared cluster's superuser.
enum TestDatabase {
    /// The configuration of the simple-test server.
    static func config() async throws -> PGConfig {
        if let url = ProcessInfo.processInfo.environment["PGWIRE_TEST_URL"], !url.isEmpty {
            return try PGConfig.isolated(url)
        }
        return try await SharedCluster.instance.cluster.clientConfig()
    }

    /// A new connection to the simple-test server.
    static func connect() async throws -> PGConnection {
        try await PGConnection.connect(config: config())
    }

    /// A new connection to the simple-test server, with the options `configure` sets.
    static func connect(_ configure: (inout PGConnection.Options) -> Void) async throws -> PGConnection {
        var options = PGConnection.Options()
        configure(&options)
        return try await PGConnection.connect(config: config(), options: options)
    }

    /// Runs `count` parameterized queries one after the other on `connection` and checks each
    /// result. Each query is awaited in the caller's isolation: an actor's caller stays on it.
    nonisolated(nonsending) static func runSequentialQueries(_ count: Int, on connection: PGConnection) async throws {
        for i in 0..<count {
            let rows = try await connection.query("SELECT \(Int32(i))::int4 + 1").collect()
            #expect(try rows.first?.decode(Int32.self, at: 0) == Int32(i) + 1)
        }
    }

    /// Runs `body` with a new connection and closes it afterwards, whether `body` throws or not.
    static func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await PGConnection.withConnection(config: config(), body)
    }
}
