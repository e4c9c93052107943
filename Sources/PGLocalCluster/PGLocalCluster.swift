import Foundation

/// A throwaway PostgreSQL server for tests, demos and benchmarks.
///
/// ``start(options:)`` makes a new cluster in a private temporary folder (`initdb`), gives it a
/// self-made TLS certificate authority and server certificate, starts it on a free loopback port and
/// waits until it accepts connections. ``stop()`` shuts it down and deletes the folder. The settings
/// trade durability for speed (`fsync=off`), so never keep data in it.
///
/// When the process runs as root (as in CI), the server programs run as the `postgres` OS user,
/// because PostgreSQL refuses to run as root.
///
/// ```swift
/// try await withLocalCluster { cluster in
///     try await cluster.execute("CREATE TABLE t (id int)")
///     let config = cluster.url  // postgres://postgres:…@127.0.0.1:54321/postgres?sslmode=verify-full…
/// }
/// ```
///
/// Only this module starts servers; the client libraries never do.
public final class PGLocalCluster: Sendable {
    /// The address the server listens on (it also listens on `::1` where IPv6 exists).
    public let host = "127.0.0.1"
    /// The TCP port, kept across ``restart()`` and ``startServer()``.
    public let port: Int
    /// The cluster's private temporary folder (mode 0700); ``stop()`` removes it.
    public let directory: String
    /// The data directory (`PGDATA`) inside ``directory``.
    public let dataDirectory: String
    /// The server log; ``logTail(lines:)`` reads its end.
    public let logFilePath: String
    /// The bootstrap superuser's name.
    public let superuser: String
    /// The bootstrap superuser's password (random unless the options gave one).
    public let superuserPassword: String
    /// The folder of the server binaries in use.
    public let binDirectory: String

    let tools: ServerTools
    let controller: ServerController
    let certificateAuthority: CertificateAuthority?
    /// The options the cluster was made with (a replica takes its primary's).
    let options: Options
    private let lifecycle: LockedValue<Lifecycle>

    private enum Lifecycle {
        case serverRunning
        case serverStopped
        /// ``stop()`` was called: the server is (being) shut down and the folder removed.
        case removed
    }

    /// The folder of the server's Unix-domain socket (``directory``).
    public var socketDirectory: String { directory }

    /// Whether the server speaks TLS.
    public var isTLSEnabled: Bool { certificateAuthority != nil }

    /// The PEM certificate of the CA that signed the server certificate: libpq's `sslrootcert`, for
    /// `sslmode=verify-full`. `nil` when TLS is off.
    public var caCertificatePath: String? { certificateAuthority?.files.caCertificatePath }

    init(
        port: Int, bootstrap: ClusterBootstrap, controller: ServerController,
        certificateAuthority: CertificateAuthority?
    ) {
        self.port = port
        self.directory = bootstrap.directory
        self.dataDirectory = bootstrap.dataDirectory
        self.logFilePath = bootstrap.logFilePath
        self.superuser = bootstrap.options.superuser
        self.superuserPassword = bootstrap.superuserPassword
        self.binDirectory = bootstrap.tools.binDirectory
        self.tools = bootstrap.tools
        self.controller = controller
        self.certificateAuthority = certificateAuthority
        self.options = bootstrap.options
        self.lifecycle = LockedValue(.serverRunning)
    }

    /// Makes, starts and returns a new cluster; it runs until ``stop()``.
    ///
    /// Takes a few seconds (mostly `initdb`). Prefer ``withLocalCluster(options:isolation:_:)``,
    /// which always stops the cluster.
    ///
    /// - Throws: ``PGLocalClusterError``: binaries missing (run `.ci/install-postgres`), `initdb` or
    ///   a certificate failing, or the server not starting (with the log's tail). Nothing is left
    ///   running or on disk after a failure.
    public static func start(
        options: Options = Options()
    ) async throws(PGLocalClusterError) -> PGLocalCluster {
        let tools = try ServerTools.locate(binDirectory: options.resolvedBinDirectory)
        let directory = try ClusterFiles.makeTemporaryFolder(in: options.parentDirectory)
        let bootstrap = ClusterBootstrap(
            tools: tools, options: options, directory: directory,
            superuserPassword: options.superuserPassword ?? randomPassword())
        let controller = ServerController(
            tools: tools, directory: directory, dataDirectory: bootstrap.dataDirectory,
            logFilePath: bootstrap.logFilePath, timeout: options.startTimeout)
        do throws(PGLocalClusterError) {
            try tools.account.handOver(directory)
            try await bootstrap.initializeDataDirectory()
            let authority =
                options.isTLSEnabled
                ? try CertificateAuthority.create(in: directory + "/tls", account: tools.account)
                : nil
            let port = try await startOnFreePort(
                bootstrap: bootstrap, controller: controller, requestedPort: options.port,
                tls: authority?.files)
            let cluster = PGLocalCluster(
                port: port, bootstrap: bootstrap, controller: controller,
                certificateAuthority: authority)
            do throws(PGLocalClusterError) {
                for user in options.users {
                    try await cluster.createUser(user)
                }
            } catch {
                try? await cluster.stop()
                throw error
            }
            return cluster
        } catch {
            if FileManager.default.fileExists(atPath: bootstrap.dataDirectory + "/postmaster.pid") {
                try? await controller.stop()
            }
            try? ClusterFiles.remove(directory)
            throw error
        }
    }

    /// Writes the configuration and starts the server, picking a new free port each time another
    /// process takes the one just found (a fixed `requestedPort` gets one try). A data directory
    /// copied from another cluster (`isConfigured`) already has its files; only the settings change.
    static func startOnFreePort(
        bootstrap: ClusterBootstrap, controller: ServerController, requestedPort: Int?,
        tls: TLSFiles?, isConfigured: Bool = false
    ) async throws(PGLocalClusterError) -> Int {
        let attempts = requestedPort == nil ? 5 : 1
        for attempt in 1...attempts {
            let port: Int
            if let requestedPort { port = requestedPort } else { port = try FreePort.find() }
            if attempt == 1 && !isConfigured {
                try bootstrap.writeConfiguration(port: port, tls: tls)
            } else {
                try bootstrap.writeSettings(port: port, tls: tls)
            }
            if try await controller.start(port: port) == .ready { return port }
        }
        throw .serverFailedToStart(
            reason: "every port tried was already in use", logTail: controller.logTail())
    }

    /// Stops the server (`pg_ctl stop -m fast`, then `-m immediate`) and removes ``directory``.
    ///
    /// Idempotent: later calls return at once. Other methods throw
    /// ``PGLocalClusterError/clusterStopped`` afterwards.
    ///
    /// - Throws: ``PGLocalClusterError`` if the server would not stop or the folder would not go;
    ///   the folder removal is attempted either way.
    public func stop() async throws(PGLocalClusterError) {
        let wasRemoved = lifecycle.withLock { state in
            defer { state = .removed }
            return state == .removed
        }
        guard !wasRemoved else { return }
        var failure: PGLocalClusterError?
        do {
            try await controller.stop()
        } catch {
            failure = error
        }
        do {
            try ClusterFiles.remove(directory)
        } catch {
            failure = failure ?? error
        }
        if let failure { throw failure }
    }

    /// Shuts the server down but keeps the cluster, for "server goes away" tests; ``startServer()``
    /// brings it back on the same port.
    ///
    /// - Parameter immediately: `pg_ctl stop -m immediate` — the processes quit at once without a
    ///   checkpoint, as in a crash, and the next start recovers from the WAL — instead of a fast
    ///   shutdown (each session told, then a checkpoint).
    /// - Throws: ``PGLocalClusterError/clusterStopped`` after ``stop()``, or the `pg_ctl` failure.
    public func stopServer(immediately: Bool = false) async throws(PGLocalClusterError) {
        try requireNotRemoved()
        try await controller.stop(immediately: immediately)
        markServer(.serverStopped)
    }

    /// Starts the server again after ``stopServer(immediately:)``, on the same port, and waits until it is ready.
    ///
    /// - Throws: ``PGLocalClusterError/clusterStopped`` after ``stop()``, or
    ///   ``PGLocalClusterError/serverFailedToStart(reason:logTail:)`` (also when another process
    ///   took the port meanwhile).
    public func startServer() async throws(PGLocalClusterError) {
        try requireNotRemoved()
        guard try await !controller.isRunning() else { return markServer(.serverRunning) }
        if try await controller.start(port: port) == .portInUse {
            throw .serverFailedToStart(
                reason: "port \(port) was taken while the server was down",
                logTail: controller.logTail())
        }
        markServer(.serverRunning)
    }

    /// Restarts the server on the same port (every connection is dropped) and waits until it is
    /// ready; for reconnect tests. Same as ``stopServer(immediately:)`` then ``startServer()``.
    ///
    /// - Throws: as ``stopServer(immediately:)`` and ``startServer()``.
    public func restart() async throws(PGLocalClusterError) {
        try await stopServer()
        try await startServer()
    }

    /// Whether something accepts TCP connections on 127.0.0.1:``port`` right now.
    public func isListening() -> Bool {
        Self.isListening(port: port)
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` right now (a plain connect,
    /// closed at once), e.g. to check that a stopped cluster's port is closed.
    ///
    /// ```swift
    /// let port = cluster.port
    /// try await cluster.stop()
    /// #expect(!PGLocalCluster.isListening(port: port))
    /// ```
    public static func isListening(port: Int) -> Bool {
        FreePort.isListening(port: port)
    }

    /// The last `lines` lines of the server log ("" once the cluster is removed).
    public func logTail(lines: Int = 40) -> String {
        controller.logTail(lines: lines)
    }

    /// Makes a client certificate and key, signed by the cluster's CA, with `user` as the CN, for
    /// `cert` authentication (and `clientcert=verify-full` rules).
    ///
    /// ```swift
    /// let client = try cluster.makeClientCertificate(user: "alice")
    /// // sslcert=client.certificatePath sslkey=client.keyPath sslrootcert=cluster.caCertificatePath
    /// ```
    ///
    /// - Throws: ``PGLocalClusterError/tlsDisabled`` when TLS is off,
    ///   ``PGLocalClusterError/clusterStopped`` after ``stop()``, or a certificate that could not be made.
    public func makeClientCertificate(
        user: String
    ) throws(PGLocalClusterError) -> ClientCertificate {
        try requireNotRemoved()
        guard let certificateAuthority else { throw .tlsDisabled }
        return try certificateAuthority.makeClientCertificate(user: user)
    }

    /// Records a server start or stop, unless ``stop()`` has meanwhile removed the cluster.
    private func markServer(_ state: Lifecycle) {
        lifecycle.withLock { if $0 != .removed { $0 = state } }
    }

    func requireNotRemoved() throws(PGLocalClusterError) {
        if lifecycle.withLock({ $0 == .removed }) { throw .clusterStopped }
    }

    /// A last resort for a cluster nobody stopped: never leave a server running.
    deinit {
        guard lifecycle.withLock({ $0 != .removed }) else { return }
        controller.stopBlocking()
        try? ClusterFiles.remove(directory)
    }

    /// 24 random letters and digits: strong enough, and safe in every connection-string syntax.
    private static func randomPassword() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}
