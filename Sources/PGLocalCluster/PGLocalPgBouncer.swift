import Foundation

/// A throwaway PgBouncer in front of a ``PGLocalCluster``, on a free loopback port, for tests of
/// the driver behind a transaction-mode pooler.
///
/// It runs as the server's account (PgBouncer, like PostgreSQL, refuses root), authenticates
/// clients with SCRAM against the cluster superuser's password, and opens at most
/// ``poolSize`` server connections per database and user. Clients reach it without TLS.
///
/// ```swift
/// let bouncer = try await cluster.startPgBouncer(poolSize: 5)
/// let config = try PGConfig(bouncer.url())   // postgres://postgres:…@127.0.0.1:6432/postgres?sslmode=disable
/// try await bouncer.restart()                // every client and server connection is dropped
/// try await bouncer.stop()
/// ```
public final class PGLocalPgBouncer: Sendable {
    /// The address PgBouncer listens on.
    public let host = "127.0.0.1"
    /// The TCP port, kept across ``restart()``.
    public let port: Int
    /// The most server connections per database and user (`default_pool_size`).
    public let poolSize: Int
    /// The pooling mode (`transaction`).
    public let poolMode: String
    /// PgBouncer's private folder (configuration, log); ``stop()`` removes it.
    public let directory: String
    /// The cluster behind it.
    public let cluster: PGLocalCluster

    private let executable: String
    private let process = LockedValue<Process?>(nil)

    private var configurationPath: String { directory + "/pgbouncer.ini" }
    private var logPath: String { directory + "/pgbouncer.log" }

    init(
        cluster: PGLocalCluster, executable: String, directory: String, port: Int, poolSize: Int,
        poolMode: String
    ) {
        self.cluster = cluster
        self.executable = executable
        self.directory = directory
        self.port = port
        self.poolSize = poolSize
        self.poolMode = poolMode
    }

    /// The superuser's libpq URI through PgBouncer, `sslmode=disable`.
    ///
    /// ```swift
    /// let uri = bouncer.url(database: "ledger")
    /// ```
    public func url(database: String = "postgres") -> String {
        "postgres://\(Quoting.percentEncoded(cluster.superuser)):"
            + "\(Quoting.percentEncoded(cluster.superuserPassword))@\(host):\(port)/"
            + "\(Quoting.percentEncoded(database))?sslmode=disable"
    }

    /// Stops PgBouncer at once (SIGTERM: every client and server connection closes) and starts
    /// it again on the same port, waiting until it listens.
    ///
    /// - Throws: ``PGLocalClusterError/serverFailedToStart(reason:logTail:)`` when it would not
    ///   come back.
    public func restart() async throws(PGLocalClusterError) {
        await terminate()
        try await launch()
    }

    /// Stops PgBouncer (SIGTERM) and removes its folder. Idempotent.
    ///
    /// - Throws: ``PGLocalClusterError/fileOperationFailed(path:reason:)`` if the folder would not go.
    public func stop() async throws(PGLocalClusterError) {
        await terminate()
        if FileManager.default.fileExists(atPath: directory) { try ClusterFiles.remove(directory) }
    }

    /// The last `lines` lines of PgBouncer's log.
    public func logTail(lines: Int = 40) -> String {
        ClusterFiles.tail(of: logPath, lines: lines)
    }

    /// Writes the configuration: every database of the cluster, transaction pooling, SCRAM with
    /// the superuser's password from the auth file, plain TCP on both sides.
    func writeConfiguration() throws(PGLocalClusterError) {
        let userList = "\(Self.quoted(cluster.superuser)) \(Self.quoted(cluster.superuserPassword))\n"
        let settings = [
            "[databases]",
            "* = host=\(cluster.host) port=\(cluster.port)",
            "[pgbouncer]",
            "listen_addr = \(host)",
            "listen_port = \(port)",
            "unix_socket_dir =",
            "auth_type = scram-sha-256",
            "auth_file = \(directory)/userlist.txt",
            "pool_mode = \(poolMode)",
            "default_pool_size = \(poolSize)",
            "max_client_conn = 500",
            "server_tls_sslmode = disable",
            "logfile = \(logPath)",
            "log_connections = 0",
            "log_disconnections = 0",
        ]
        for (text, path) in [
            (userList, directory + "/userlist.txt"), (settings.joined(separator: "\n") + "\n", configurationPath),
        ] {
            try ClusterFiles.write(text, to: path, mode: 0o600)
            try cluster.tools.account.handOver(path)
        }
    }

    /// A value of PgBouncer's auth file: in double quotes, inner ones doubled.
    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Runs `pgbouncer <ini>` in the foreground as the server's account and waits until the port
    /// accepts connections.
    func launch() async throws(PGLocalClusterError) {
        let child = cluster.tools.serverCommand(executable, [configurationPath], in: directory).makeProcess()
        child.standardInput = FileHandle.nullDevice
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        do {
            try child.run()
        } catch {
            throw .serverFailedToStart(reason: "could not run pgbouncer: \(error)", logTail: logTail())
        }
        process.withLock { $0 = child }
        let deadline = ContinuousClock.now + cluster.options.startTimeout
        while !FreePort.isListening(port: port) {
            guard child.isRunning else {
                throw .serverFailedToStart(
                    reason: "pgbouncer exited with status \(child.terminationStatus)", logTail: logTail())
            }
            guard ContinuousClock.now < deadline else {
                child.terminate()
                throw .serverNotReady(timeout: cluster.options.startTimeout, logTail: logTail())
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends SIGTERM to PgBouncer itself (not to `runuser`, which may not pass it on) and waits
    /// until it has exited and its port is closed.
    private func terminate() async {
        guard let child = process.withLock({ $0.take() }) else { return }
        for pid in Self.children(of: child.processIdentifier) { kill(pid, SIGTERM) }
        child.terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while (child.isRunning || FreePort.isListening(port: port)), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The processes whose parent is `pid` (read from `/proc`): PgBouncer under `runuser`.
    private static func children(of pid: Int32) -> [Int32] {
        let path = "/proc/\(pid)/task/\(pid)/children"
        return ClusterFiles.text(of: path).split(separator: " ").compactMap { Int32($0) }
    }

    deinit {
        guard let child = process.withLock({ $0.take() }) else { return }
        for pid in Self.children(of: child.processIdentifier) { kill(pid, SIGTERM) }
        child.terminate()
        try? ClusterFiles.remove(directory)
    }
}

extension PGLocalCluster {
    /// Starts a ``PGLocalPgBouncer`` in front of this cluster, in transaction mode with at most
    /// `poolSize` server connections, and waits until it listens.
    ///
    /// ```swift
    /// let bouncer = try await cluster.startPgBouncer(poolSize: 5)
    /// defer { Task { try? await bouncer.stop() } }
    /// ```
    ///
    /// - Throws: ``PGLocalClusterError/toolNotFound(name:)`` when `pgbouncer` is not installed
    ///   (`apt-get install pgbouncer`), ``PGLocalClusterError/clusterStopped`` after ``stop()``, or
    ///   PgBouncer not starting (with its log's tail).
    public func startPgBouncer(poolSize: Int = 5) async throws(PGLocalClusterError) -> PGLocalPgBouncer {
        try requireNotRemoved()
        guard
            let executable = ExecutableLocator.find(
                "pgbouncer", preferring: ["/usr/sbin", "/usr/bin"])
        else { throw .toolNotFound(name: "pgbouncer") }
        let directory = try ClusterFiles.makeTemporaryFolder(in: options.parentDirectory)
        do throws(PGLocalClusterError) {
            try tools.account.handOver(directory)
            let bouncer = PGLocalPgBouncer(
                cluster: self, executable: executable, directory: directory, port: try FreePort.find(),
                poolSize: poolSize, poolMode: "transaction")
            try bouncer.writeConfiguration()
            try await bouncer.launch()
            return bouncer
        } catch {
            try? ClusterFiles.remove(directory)
            throw error
        }
    }
}
