public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension PGConfig {
    /// Everything outside the connection string that a configuration depends on: the `PG*`
    /// environment variables, the home directory (for `~/.pgpass`), the operating system's user
    /// name and the default host. Tests build one by hand so that they never read the real
    /// environment.
    ///
    /// ```swift
    /// let context = PGConfig.Context(
    ///     environment: ["PGHOST": "db.example.com"], homeDirectory: "/tmp/home",
    ///     userName: "alice", defaultHost: "localhost")
    /// let config = try PGConfig(connectionString: "dbname=ledger", context: context)
    /// ```
    public struct Context: Hashable, Sendable {
        /// The socket directory that Debian's and Ubuntu's PostgreSQL use (libpq's compiled-in
        /// default there). Upstream's default, `/tmp`, is not probed.
        public static let defaultSocketDirectory = "/var/run/postgresql"

        /// The environment variables (only the `PG*` ones are read).
        public var environment: [String: String]
        /// The home directory, where `.pgpass` is looked for; `nil` when unknown.
        public var homeDirectory: String?
        /// The user name used when neither the connection string nor `PGUSER` gives one.
        public var userName: String
        /// The host used when neither the connection string nor `PGHOST`/`PGHOSTADDR` gives one.
        public var defaultHost: String

        /// Creates a context from explicit values.
        public init(
            environment: [String: String], homeDirectory: String?, userName: String,
            defaultHost: String
        ) {
            self.environment = environment
            self.homeDirectory = homeDirectory
            self.userName = userName
            self.defaultHost = defaultHost
        }

        /// The context of this process: its environment (unless given), its home directory
        /// (`homeDirectory`, else `$HOME`, else the password database, as libpq does), the
        /// effective user's name, and as default host ``defaultSocketDirectory`` if that
        /// directory exists, else `localhost`.
        public static func current(
            environment: [String: String] = ProcessInfo.processInfo.environment,
            homeDirectory: String? = nil
        ) -> Context {
            let account = currentAccount()
            let home =
                homeDirectory ?? environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? account.home
            var isDirectory: ObjCBool = false
            let socketDirectoryExists = FileManager.default.fileExists(
                atPath: defaultSocketDirectory, isDirectory: &isDirectory)
            return Context(
                environment: environment, homeDirectory: home, userName: account.name ?? "",
                defaultHost: socketDirectoryExists && isDirectory.boolValue
                    ? defaultSocketDirectory : "localhost")
        }

        /// The name and home directory of the effective user, from the password database.
        private static func currentAccount() -> (name: String?, home: String?) {
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            var buffer = [CChar](repeating: 0, count: 4096)
            let status = getpwuid_r(geteuid(), &entry, &buffer, buffer.count, &result)
            guard status == 0, result != nil else { return (nil, nil) }
            return (
                entry.pw_name.map { String(cString: $0) }, entry.pw_dir.map { String(cString: $0) }
            )
        }

        /// The value of an option's environment variable, if it is set.
        func environmentValue(for key: PGConfig.Key) -> (value: String, variable: String)? {
            guard let variable = key.environmentVariable, let value = environment[variable] else {
                return nil
            }
            return (value, variable)
        }

        /// The host name that `.pgpass` lines are matched against: `localhost` for the default
        /// socket directory (``defaultSocketDirectory``, or ``defaultHost`` when it is a socket
        /// directory), the host itself otherwise (libpq's rule).
        public func pgpassHostName(for host: String) -> String {
            Self.pgpassHostName(for: host, defaultHost: defaultHost)
        }

        static func pgpassHostName(for host: String, defaultHost: String) -> String {
            let isDefaultSocketDirectory =
                host == Self.defaultSocketDirectory
                || (host == defaultHost && PGConfig.Host.isUnixSocketPath(host))
            return host.isEmpty || isDefaultSocketDirectory ? "localhost" : host
        }
    }
}
