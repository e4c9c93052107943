extension PGLocalCluster {
    /// The superuser's libpq URI for the `postgres` database, with the strictest TLS check the
    /// cluster supports: `sslmode=verify-full` plus `sslrootcert` when TLS is on, `disable` when off.
    ///
    /// ```swift
    /// let uri = cluster.url  // "postgres://postgres:Xy…@127.0.0.1:54321/postgres?sslmode=verify-full&sslrootcert=…"
    /// ```
    public var url: String { url() }

    /// A libpq URI (`postgres://user:password@127.0.0.1:port/database?sslmode=…`), every part
    /// percent-encoded.
    ///
    /// - Parameters:
    ///   - user: the role; `nil` means the superuser, with the superuser's password.
    ///   - password: the password; `nil` means none (or the superuser's when `user` is `nil`).
    ///   - database: the database name.
    ///   - sslmode: `nil` means `verify-full` with TLS on, `disable` with it off. Verifying modes add
    ///     `sslrootcert=` ``caCertificatePath``.
    public func url(
        user: String? = nil, password: String? = nil, database: String = "postgres",
        sslmode: SSLMode? = nil
    ) -> String {
        url(user: user, password: password, database: database, sslmode: sslmode, otherHosts: [])
    }

    /// The URI of ``url(user:password:database:sslmode:)``, listing `otherHosts` after this one.
    private func url(
        user: String?, password: String?, database: String, sslmode: SSLMode?,
        otherHosts: [PGLocalCluster]
    ) -> String {
        let parameters = connectionParameters(
            user: user, password: password, database: database, sslmode: sslmode)
        var userInfo = Quoting.percentEncoded(parameters.user)
        if let password = parameters.password {
            userInfo += ":" + Quoting.percentEncoded(password)
        }
        let query = parameters.options.map { "\($0.key)=\(Quoting.percentEncoded($0.value))" }
        let hosts = ([self] + otherHosts).map { "\($0.host):\($0.port)" }.joined(separator: ",")
        return "postgres://\(userInfo)@\(hosts)/\(Quoting.percentEncoded(database))?"
            + query.joined(separator: "&")
    }

    /// A multi-host libpq URI: this cluster first, then `others` (its replicas, say), in that
    /// order, with `target_session_attrs` and the defaults of ``url(user:password:database:sslmode:)``.
    /// One `sslrootcert` serves them all when they share this cluster's CA, as replicas do.
    ///
    /// ```swift
    /// let replica = try await primary.startReplica()
    /// let uri = primary.url(listing: [replica], targetSessionAttributes: "read-write")
    /// // postgres://postgres:…@127.0.0.1:54321,127.0.0.1:54322/postgres?sslmode=…&target_session_attrs=read-write
    /// ```
    public func url(
        listing others: [PGLocalCluster], targetSessionAttributes: String, user: String? = nil,
        password: String? = nil, database: String = "postgres", sslmode: SSLMode? = nil
    ) -> String {
        url(user: user, password: password, database: database, sslmode: sslmode, otherHosts: others)
            + "&target_session_attrs=" + Quoting.percentEncoded(targetSessionAttributes)
    }

    /// A libpq keyword/value string (`host=127.0.0.1 port=… user=… password=… dbname=… sslmode=…`),
    /// with the same defaults as ``url(user:password:database:sslmode:)``; values are quoted where
    /// needed.
    ///
    /// ```swift
    /// let conninfo = cluster.keywordValueString(user: "app", password: "pw", sslmode: .require)
    /// ```
    public func keywordValueString(
        user: String? = nil, password: String? = nil, database: String = "postgres",
        sslmode: SSLMode? = nil
    ) -> String {
        connectionParameters(user: user, password: password, database: database, sslmode: sslmode)
            .keywordValuePairs
            .map { "\($0.key)=\(Quoting.conninfoValue($0.value))" }
            .joined(separator: " ")
    }

    /// The same connection as `PG*` environment variables (`PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`), for `pgbench` or `psql`.
    public func libpqEnvironment(
        user: String? = nil, password: String? = nil, database: String = "postgres",
        sslmode: SSLMode? = nil
    ) -> [String: String] {
        let pairs = connectionParameters(
            user: user, password: password, database: database, sslmode: sslmode
        ).keywordValuePairs
        return Dictionary(
            pairs.map { ("PG" + Self.environmentNames[$0.key, default: $0.key.uppercased()], $0.value) },
            uniquingKeysWith: { _, last in last })
    }

    private static let environmentNames = ["dbname": "DATABASE"]

    /// The parts every rendering shares, with the defaults applied once.
    private func connectionParameters(
        user: String?, password: String?, database: String, sslmode: SSLMode?
    ) -> ConnectionParameters {
        let mode = sslmode ?? (isTLSEnabled ? .verifyFull : .disable)
        var options = [(key: "sslmode", value: mode.rawValue)]
        if mode.verifiesCertificate, let caCertificatePath {
            options.append((key: "sslrootcert", value: caCertificatePath))
        }
        return ConnectionParameters(
            host: host, port: port, user: user ?? superuser,
            password: user == nil ? (password ?? superuserPassword) : password,
            database: database, options: options)
    }
}

/// One connection's libpq parameters, before they become a URI, a keyword/value string or
/// environment variables.
struct ConnectionParameters: Sendable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var options: [(key: String, value: String)]

    /// Keyword and value in libpq's order and spelling.
    var keywordValuePairs: [(key: String, value: String)] {
        var pairs = [
            (key: "host", value: host), (key: "port", value: String(port)), (key: "user", value: user),
        ]
        if let password { pairs.append((key: "password", value: password)) }
        pairs.append((key: "dbname", value: database))
        return pairs + options
    }
}
