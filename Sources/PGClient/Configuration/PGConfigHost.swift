#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension PGConfig {
    /// One server to try: a host name, an IP address or a unix-socket directory, and a port.
    ///
    /// A host that starts with `/` (or `@`, Linux's abstract socket namespace) is a directory
    /// holding the socket file `.s.PGSQL.<port>`. With ``hostaddr`` set, the connection goes to
    /// that address and ``host`` only names the server (for TLS and `.pgpass`).
    ///
    /// ```swift
    /// let config = try PGConfig("postgres://%2Fvar%2Frun%2Fpostgresql:5433/ledger")
    /// config.hosts[0].unixSocketPath  // "/var/run/postgresql/.s.PGSQL.5433"
    /// ```
    public struct Host: Hashable, Sendable, CustomStringConvertible {
        /// The host name, IP address or socket directory (libpq's `host`); the address itself when
        /// only `hostaddr` was given.
        public var host: String
        /// The TCP port, or the number in the socket file's name.
        public var port: Int
        /// A numeric IP address to connect to instead of resolving ``host`` (libpq's `hostaddr`).
        public var hostaddr: String?

        /// Creates a host.
        public init(host: String, port: Int = PGConfig.defaultPort, hostaddr: String? = nil) {
            self.host = host
            self.port = port
            self.hostaddr = hostaddr
        }

        /// Whether this host is reached through a unix-domain socket.
        public var isUnixSocket: Bool {
            hostaddr == nil && Self.isUnixSocketPath(host)
        }

        /// The socket file's path (`<directory>/.s.PGSQL.<port>`), for a unix-socket host.
        public var unixSocketPath: String? {
            guard isUnixSocket else { return nil }
            let directory = host.count > 1 && host.hasSuffix("/") ? String(host.dropLast()) : host
            return "\(directory)/.s.PGSQL.\(port)"
        }

        /// `db.example.com:5432`, `[::1]:5432`, or the socket path.
        public var description: String {
            if let unixSocketPath { return unixSocketPath }
            let name = host.contains(":") ? "[\(host)]" : host
            if let hostaddr, hostaddr != host { return "\(name):\(port) (\(hostaddr))" }
            return "\(name):\(port)"
        }

        /// Whether a `host` value names a socket directory rather than a server.
        static func isUnixSocketPath(_ host: String) -> Bool {
            host.hasPrefix("/") || host.hasPrefix("@")
        }
    }
}

extension PGConfig.Host {
    /// Whether `text` is a numeric IPv4 or IPv6 address, as `hostaddr` must be.
    static func isNumericAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }
}
