public import PGClient

/// What the service needs to run: where to listen, the database, and the token key.
///
/// ```swift
/// let settings = try APISettings(environment: ProcessInfo.processInfo.environment)
/// ```
public struct APISettings: Sendable {
    /// The address to listen on (`127.0.0.1` by default).
    public var host: String
    /// The port to listen on (8080 by default; 0 picks a free one).
    public var port: Int
    /// The pool's configuration; its connections log in as `financbase_app`.
    public var pool: PGPool.Configuration
    /// The HMAC-SHA-256 key bearer tokens are signed with.
    public var jwtKey: String
    /// How long `/health/ready`'s `SELECT 1` may take, waiting for a connection included.
    public var readinessTimeout: Duration

    /// Creates settings.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, pool: PGPool.Configuration, jwtKey: String,
        readinessTimeout: Duration = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.pool = pool
        self.jwtKey = jwtKey
        self.readinessTimeout = readinessTimeout
    }

    /// Reads `DATABASE_URL` (the application role's URL; or any role's with
    /// `FINANCBASE_APP_PASSWORD`, which then connects as `financbase_app` with that password),
    /// `FINANCBASE_JWT_KEY`, and optionally `HOST`, `PORT` and `DATABASE_POOL_SIZE`.
    ///
    /// - Throws: ``APISettingsError`` naming the variable that is missing or malformed;
    ///   `PGError` for a URL that does not parse.
    public init(environment: [String: String]) throws {
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            throw APISettingsError(variable: "DATABASE_URL", problem: "is not set")
        }
        guard let key = environment["FINANCBASE_JWT_KEY"], key.utf8.count >= 32 else {
            throw APISettingsError(variable: "FINANCBASE_JWT_KEY", problem: "must be set, at least 32 bytes")
        }
        var connection = try PGConfig(url)
        // As financbase-db's seed: an administrator's URL with the application role's password
        // beside it connects as financbase_app.
        if let password = environment["FINANCBASE_APP_PASSWORD"], !password.isEmpty {
            connection.user = "financbase_app"
            connection.password = password
        }
        var pool = PGPool.Configuration(connection: connection)
        if let size = environment["DATABASE_POOL_SIZE"] {
            guard let count = Int(size), count > 0 else {
                throw APISettingsError(variable: "DATABASE_POOL_SIZE", problem: "must be a positive integer")
            }
            pool.maxConnections = count
        }
        var port = 8080
        if let text = environment["PORT"] {
            guard let value = Int(text), (0...65_535).contains(value) else {
                throw APISettingsError(variable: "PORT", problem: "must be a port number")
            }
            port = value
        }
        self.init(host: environment["HOST"] ?? "127.0.0.1", port: port, pool: pool, jwtKey: key)
    }
}

/// A setting in the environment is missing or malformed.
public struct APISettingsError: Error, CustomStringConvertible {
    /// The environment variable.
    public var variable: String
    /// What is wrong with it.
    public var problem: String
    /// A line for the operator.
    public var description: String { "\(variable) \(problem)" }
}
