extension PGLocalCluster {
    /// Runs `sql` with `psql` as the superuser over the Unix socket and returns what it printed:
    /// unaligned, tuples only (`a|b` per row, one row per line), trailing newline removed.
    ///
    /// Statements run one by one with `ON_ERROR_STOP`, each in its own transaction unless the text
    /// says `BEGIN`, so `CREATE DATABASE` works. Meant for test setup, not for the code under test.
    ///
    /// ```swift
    /// let count = try await cluster.psql("SELECT count(*) FROM pg_roles")
    /// ```
    ///
    /// - Throws: ``PGLocalClusterError/commandFailed(command:status:output:)`` with psql's stderr
    ///   (the server's `ERROR:` line) when a statement fails; ``PGLocalClusterError/clusterStopped``
    ///   after ``stop()``.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") async throws(PGLocalClusterError)
        -> String
    {
        let conninfo = [
            "host=\(Quoting.conninfoValue(socketDirectory))", "port=\(port)",
            "user=\(Quoting.conninfoValue(superuser))", "dbname=\(Quoting.conninfoValue(database))",
        ].joined(separator: " ")
        return try await psql(
            sql, connectionString: conninfo, environment: ["PGPASSWORD": superuserPassword])
    }

    /// Runs `sql` with `psql` over any connection (a URI or keyword/value string such as
    /// ``url(user:password:database:sslmode:)`` returns), with `environment` (e.g.
    /// `PGSSLROOTCERT`) on top of an environment cleared of `PG*` variables. For tests of how the
    /// server treats a client: authentication methods, `pg_hba.conf` rules, TLS modes.
    ///
    /// ```swift
    /// let user = try await cluster.psql(
    ///     "SELECT current_user", connectionString: cluster.url(user: "app", password: "pw"))
    /// ```
    ///
    /// - Throws: as ``psql(_:database:)``; a refused login fails with psql's message.
    @discardableResult
    public func psql(
        _ sql: String, connectionString: String, environment: [String: String] = [:]
    ) async throws(PGLocalClusterError) -> String {
        try requireNotRemoved()
        let command = tools.clientCommand(
            tools.psql,
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", connectionString, "-f", "-"],
            environment: environment, standardInput: sql)
        let result = try await CommandRunner.run(command, timeout: .seconds(60))
        guard result.succeeded else {
            throw .commandFailed(
                command: "psql \(sql)", status: result.status, output: result.failureOutput)
        }
        return result.standardOutput.trimmingTrailingNewlines()
    }

    /// Runs `sql` as the superuser, discarding its output; see ``psql(_:database:)``.
    ///
    /// ```swift
    /// try await cluster.execute("CREATE TABLE accounts (id bigint PRIMARY KEY)")
    /// ```
    public func execute(_ sql: String, database: String = "postgres") async throws(PGLocalClusterError) {
        try await psql(sql, database: database)
    }

    /// Makes a login role, storing its password with the user's `passwordEncryption` (MD5 secrets
    /// need `password_encryption = 'md5'` while the role is made).
    ///
    /// - Throws: as ``psql(_:database:)`` (e.g. the role exists).
    public func createUser(_ user: User) async throws(PGLocalClusterError) {
        var attributes = ["LOGIN"]
        if user.isSuperuser { attributes.append("SUPERUSER") }
        if let password = user.password {
            attributes.append("PASSWORD \(Quoting.sqlLiteral(password))")
        }
        try await execute(
            """
            SET password_encryption = \(Quoting.sqlLiteral(user.passwordEncryption.rawValue));
            CREATE ROLE \(Quoting.sqlIdentifier(user.name)) \(attributes.joined(separator: " "));
            """)
    }

    /// Makes a database, owned by `owner` (the superuser when `nil`).
    ///
    /// - Throws: as ``psql(_:database:)``.
    public func createDatabase(_ name: String, owner: String? = nil) async throws(PGLocalClusterError) {
        var sql = "CREATE DATABASE \(Quoting.sqlIdentifier(name))"
        if let owner { sql += " OWNER \(Quoting.sqlIdentifier(owner))" }
        try await execute(sql)
    }
}
