public import Foundation
public import PGWire

/// How to reach a PostgreSQL server and what to ask of it, parsed the way libpq parses it.
///
/// A configuration comes from a connection string — a URI or `key=value` pairs, see
/// [libpq's Connection Strings](https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING) —
/// then the `PG*` environment variables for options the string leaves out, then built-in
/// defaults, in that order:
///
/// | option | default |
/// | --- | --- |
/// | host | `/var/run/postgresql` if that directory exists, else `localhost` |
/// | port | 5432 |
/// | user | the operating system user |
/// | dbname | the user name |
/// | password | `.pgpass` (`PGPASSFILE`, `passfile`, or `~/.pgpass`), looked up per host |
/// | sslmode | `prefer` (`verify-full` with `sslrootcert=system`) |
///
/// An option set in the string blocks its environment variable even when its value is empty;
/// an empty value then means the built-in default.
///
/// ```swift
/// let config = try PGConfig("postgres://app@db1:5432,db2:5433/ledger?sslmode=verify-full")
/// for host in config.hosts {
///     let settings = config.connectionSettings(for: host)
///     // connect to host, start ConnectionStateMachine(settings: settings) …
/// }
/// ```
///
/// The password is never shown by ``description``, ``debugDescription``, `dump` or an error.
public struct PGConfig: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// PostgreSQL's port.
    public static let defaultPort = 5432

    /// The servers to try, in order (shuffled per connection attempt when ``loadBalanceHosts``
    /// is ``LoadBalanceHosts/random``).
    public var hosts: [Host]
    /// The database name.
    public var database: String
    /// The user name.
    public var user: String
    /// The password given by the connection string, an override or `PGPASSWORD`; when `nil`,
    /// ``password(for:)`` looks in the password file. Never shown by ``description``.
    public var password: String?
    /// The password file consulted when no password is given (`nil` when there is no home
    /// directory to find `~/.pgpass` in).
    public var passfile: String?
    /// Whether and how to use TLS.
    public var sslMode: SSLMode
    /// The trusted roots for verifying the server's certificate.
    public var sslRootCert: SSLRootCert?
    /// The client certificate file.
    public var sslCert: String?
    /// The client key file.
    public var sslKey: String?
    /// The passphrase of ``sslKey``. Never shown by ``description``.
    public var sslPassword: String?
    /// Whether to send the host name in TLS's Server Name Indication (default `true`).
    public var sslSNI: Bool
    /// Whether SCRAM must bind to the TLS channel.
    public var channelBinding: ConnectionSettings.ChannelBindingPolicy
    /// The authentication methods the server may ask for; `nil` accepts all that are supported.
    public var requireAuth: Set<ConnectionSettings.AuthenticationMethod>?
    /// How long one connection attempt (per host) may take; `nil` waits forever.
    public var connectTimeout: Duration?
    /// `application_name`, else `fallback_application_name`.
    public var applicationName: String?
    /// Command-line options for the server process (`-c search_path=ledger`).
    public var options: String?
    /// The client encoding to ask for; `nil` leaves the server's default.
    public var clientEncoding: String?
    /// Which server is acceptable once connected.
    public var targetSessionAttributes: TargetSessionAttributes
    /// The order in which the hosts are tried.
    public var loadBalanceHosts: LoadBalanceHosts
    /// TCP keepalive settings.
    public var keepalives: Keepalives
    /// How long sent data may stay unacknowledged before the connection counts as dead
    /// (libpq's `tcp_user_timeout`, in milliseconds there; Linux's `TCP_USER_TIMEOUT`). With the
    /// keepalives, this bounds how long a link that went silent goes unnoticed. `nil` leaves
    /// the system's default.
    public var tcpUserTimeout: Duration?
    /// Problems that did not stop parsing, such as a password file ignored for its permissions.
    /// Returned rather than printed, so the caller decides whether to log them.
    public var warnings: [String]
    /// The parsed password file, consulted per host when ``password`` is `nil`.
    var passwordFile: PGPassFile?
    /// The default host, which `.pgpass` calls `localhost` when it is a socket directory.
    var defaultHost: String

    /// Parses a connection string, then fills the gaps from the environment and the defaults.
    ///
    /// The string is a URI when it starts with `postgresql://` or `postgres://`, `key=value`
    /// pairs otherwise; an empty string takes everything from the environment and the defaults.
    ///
    /// ```swift
    /// let a = try PGConfig("postgresql://app:pw@localhost:5433/ledger?application_name=api")
    /// let b = try PGConfig("host=localhost port=5433 dbname=ledger user=app password=pw application_name=api")
    /// // a == b
    /// ```
    ///
    /// - Parameters:
    ///   - connectionString: a URI, `key=value` pairs, or `""`.
    ///   - environment: where the `PG*` variables (and `HOME`) are read; the process's by default.
    ///   - homeDirectory: where `.pgpass` is looked for; `$HOME` (or the password database) when `nil`.
    /// - Throws: ``PGConfigError`` naming the option that is unknown, malformed or invalid.
    public init(
        _ connectionString: String = "",
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil
    ) throws(PGConfigError) {
        try self.init(
            connectionString: connectionString, overrides: [:],
            context: .current(environment: environment, homeDirectory: homeDirectory))
    }

    /// Parses a connection string with some options overridden, as a command line's `-h`, `-p`,
    /// `-d` and `-U` flags do.
    ///
    /// Overrides are libpq keywords (`host`, `port`, `dbname`, `user`, …). They beat the
    /// connection string, which beats the environment, which beats the defaults. An override
    /// with an empty value is ignored, as `PQconnectdbParams` ignores one. A `dbname` override
    /// that is a connection string (a URI, or holding `=`) is expanded into its options, which
    /// the other overrides beat.
    ///
    /// ```swift
    /// let config = try PGConfig(
    ///     connectionString: "postgres://db.example.com/ledger", overrides: ["port": "5433", "user": "ops"])
    /// ```
    ///
    /// - Throws: ``PGConfigError`` naming the option that is unknown, malformed or invalid.
    public init(
        connectionString: String = "",
        overrides: [String: String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil
    ) throws(PGConfigError) {
        try self.init(
            connectionString: connectionString, overrides: overrides,
            context: .current(environment: environment, homeDirectory: homeDirectory))
    }

    /// Parses a connection string and overrides against an explicit context (environment, home
    /// directory, user name, default host), for tests and for tools that control all of it.
    ///
    /// - Throws: ``PGConfigError`` naming the option that is unknown, malformed or invalid.
    public init(connectionString: String, overrides: [String: String] = [:], context: Context)
        throws(PGConfigError)
    {
        let parsed = try Self.parseConnectionString(connectionString)
        var overridden = ConnectionOptions()
        // A dbname override that is itself a connection string is expanded, as libpq's
        // expand_dbname does (`pgping -d postgres://…`); the other overrides still win.
        let expandedDatabase = overrides[Key.dbname.rawValue].flatMap {
            Self.isConnectionString($0) ? $0 : nil
        }
        if let expandedDatabase {
            overridden = try Self.parseConnectionString(expandedDatabase)
        }
        for (keyword, value) in overrides.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            if keyword == Key.dbname.rawValue, expandedDatabase != nil { continue }
            try overridden.set(keyword, value, source: .override)
        }
        self = try PGConfigResolver(explicit: parsed, overrides: overridden, context: context)
            .resolve()
    }

    /// Parses either form of connection string into the options it spells out.
    private static func parseConnectionString(_ string: String) throws(PGConfigError)
        -> ConnectionOptions
    {
        ConnectionURIParser.isURI(string)
            ? try ConnectionURIParser.parse(string) : try KeywordValueParser.parse(string)
    }

    /// Whether a `dbname` value is a connection string rather than a name (libpq's test: a URI
    /// scheme or an `=`).
    private static func isConnectionString(_ value: String) -> Bool {
        ConnectionURIParser.isURI(value) || value.contains("=")
    }

    /// Creates a configuration from resolved values; used by ``PGConfigResolver``.
    init(hosts: [Host], database: String, user: String, defaultHost: String) {
        self.hosts = hosts
        self.database = database
        self.user = user
        self.defaultHost = defaultHost
        sslMode = .prefer
        sslSNI = true
        channelBinding = .prefer
        targetSessionAttributes = .any
        loadBalanceHosts = .disable
        keepalives = Keepalives()
        warnings = []
    }

    /// The password for one host: ``password`` if given, else the first matching line of the
    /// password file (matched with the host's name, port, the database and the user).
    public func password(for host: Host) -> String? {
        if let password { return password }
        let name = host.host.isEmpty ? (host.hostaddr ?? "") : host.host
        let found = passwordFile?.password(
            host: Context.pgpassHostName(for: name, defaultHost: defaultHost), port: host.port,
            database: database, user: user)
        return found?.isEmpty == false ? found : nil
    }

    /// The configuration with secrets masked.
    public var description: String {
        var parts = [
            "hosts: [\(hosts.map(\.description).joined(separator: ", "))]",
            "database: \(database)", "user: \(user)",
            "password: \(maskedPassword)",
            "sslMode: \(sslMode.rawValue)",
        ]
        if let sslRootCert { parts.append("sslRootCert: \(sslRootCert)") }
        if let sslCert { parts.append("sslCert: \(sslCert)") }
        if let sslKey { parts.append("sslKey: \(sslKey)") }
        if sslPassword != nil { parts.append("sslPassword: ********") }
        if !sslSNI { parts.append("sslSNI: false") }
        parts.append("channelBinding: \(channelBinding)")
        if let requireAuth { parts.append("requireAuth: \(requireAuth.map(\.rawValue).sorted())") }
        if let connectTimeout { parts.append("connectTimeout: \(connectTimeout)") }
        if let applicationName { parts.append("applicationName: \(applicationName)") }
        if let options { parts.append("options: \(options)") }
        if let clientEncoding { parts.append("clientEncoding: \(clientEncoding)") }
        parts.append("targetSessionAttributes: \(targetSessionAttributes.rawValue)")
        if loadBalanceHosts != .disable {
            parts.append("loadBalanceHosts: \(loadBalanceHosts.rawValue)")
        }
        return "PGConfig(\(parts.joined(separator: ", ")))"
    }

    /// `********` for a given password, else where a password may come from.
    private var maskedPassword: String {
        if password != nil { return "********" }
        guard passwordFile != nil, let passfile else { return "none" }
        return "from \(passfile)"
    }

    /// The same as ``description``: secrets masked.
    public var debugDescription: String { description }

    /// A mirror that shows ``description`` only, so `dump` cannot reveal the password.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description], displayStyle: .struct)
    }
}
