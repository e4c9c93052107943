import Foundation

extension PGLocalCluster {
    /// How to set up a cluster. Every default suits a test that just needs a server.
    ///
    /// ```swift
    /// var options = PGLocalCluster.Options()
    /// options.users = [.init(name: "legacy", password: "pw", passwordEncryption: .md5)]
    /// options.hbaLines = ["host all legacy 127.0.0.1/32 md5"]
    /// options.settings = ["log_min_messages": "debug1"]
    /// let cluster = try await PGLocalCluster.start(options: options)
    /// ```
    public struct Options: Sendable, Hashable {
        /// The TCP port; `nil` picks a free one (and picks again if another process takes it first).
        public var port: Int?
        /// Whether the server speaks TLS with a certificate from a CA made for this cluster.
        public var isTLSEnabled: Bool
        /// The method of the default `pg_hba.conf` lines.
        public var authMethod: AuthMethod
        /// Extra `postgresql.conf` settings, written after the cluster's own (so they win). Values are
        /// quoted for you: `["work_mem": "64MB"]`.
        public var settings: [String: String]
        /// Extra `pg_hba.conf` lines, placed before the default lines so they match first, e.g.
        /// `"hostssl all cert_user 127.0.0.1/32 cert"`.
        public var hbaLines: [String]
        /// Roles to make once the server is up.
        public var users: [User]
        /// The bootstrap superuser's name.
        public var superuser: String
        /// The superuser's password; `nil` generates a random one.
        public var superuserPassword: String?
        /// The folder with `initdb`, `pg_ctl`, `postgres`, `pg_isready`; `nil` uses the environment
        /// variable `PGWIRE_PG_BIN`, else the folder `pg_config --bindir` names (the `pg_config`
        /// on `PATH`), else a `PATH` folder holding them, else the newest
        /// `/usr/lib/postgresql/<major>/bin`. Any version the driver speaks to will do.
        public var binDirectory: String?
        /// Where the cluster's temporary folder goes. Short on purpose: the Unix socket path inside
        /// it must fit in 107 bytes.
        public var parentDirectory: String
        /// How long starting (or restarting) may take before it fails with the log's tail.
        public var startTimeout: Duration

        /// The defaults: free port, TLS on, SCRAM, superuser `postgres` with a random password.
        public init(
            port: Int? = nil,
            isTLSEnabled: Bool = true,
            authMethod: AuthMethod = .scramSHA256,
            settings: [String: String] = [:],
            hbaLines: [String] = [],
            users: [User] = [],
            superuser: String = "postgres",
            superuserPassword: String? = nil,
            binDirectory: String? = nil,
            parentDirectory: String = "/tmp",
            startTimeout: Duration = .seconds(30)
        ) {
            self.port = port
            self.isTLSEnabled = isTLSEnabled
            self.authMethod = authMethod
            self.settings = settings
            self.hbaLines = hbaLines
            self.users = users
            self.superuser = superuser
            self.superuserPassword = superuserPassword
            self.binDirectory = binDirectory
            self.parentDirectory = parentDirectory
            self.startTimeout = startTimeout
        }

        /// The server binaries folder these options select: ``binDirectory``, else what
        /// `ServerBinaryLocator` finds (`PGWIRE_PG_BIN`, `pg_config --bindir`, `PATH`, the newest
        /// `/usr/lib/postgresql/<major>/bin`), else Debian's usual folder, which the error then names.
        var resolvedBinDirectory: String {
            if let binDirectory { return binDirectory }
            let locator = ServerBinaryLocator(environment: ProcessInfo.processInfo.environment)
            return locator.binDirectory() ?? "/usr/lib/postgresql/15/bin"
        }
    }
}
