/// Why a connection string, an environment variable or an override could not become a
/// ``PGConfig``.
///
/// Every error names the connection option (``key``) it is about, and where the bad text came from
/// (``source``). The value of a secret option (`password`, `sslpassword`) never appears in an
/// error, and neither does the connection string as a whole, so an error is safe to log.
///
/// ```swift
/// do {
///     _ = try PGConfig("postgres://app@db.example.com:99999/ledger")
/// } catch {
///     print(error)  // invalid value "99999" for connection option "port": expected ...
///     print(error.key)  // "port"
/// }
/// ```
public struct PGConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Reason: Hashable, Sendable {
        /// The key is not a connection option that ``PGConfig`` knows.
        case unknownKey
        /// The value is not one the option accepts. The value is `nil` when it is secret or may
        /// hold a secret.
        case invalidValue(String?, expected: String)
        /// The connection string is malformed at this option; the text says how.
        case malformedString(String)
    }

    /// Where the offending text came from.
    public enum Source: Hashable, Sendable {
        /// The connection string (URI or `key=value` form).
        case connectionString
        /// An environment variable, by name (`PGPORT`).
        case environmentVariable(String)
        /// An override passed to ``PGConfig/init(connectionString:overrides:environment:homeDirectory:)``.
        case override
        /// A value PGConfig worked out itself (the operating system's user name).
        case builtInDefault
    }

    /// The connection option the error is about (`port`, `sslmode`, an unknown key as written).
    public var key: String
    /// What is wrong.
    public var reason: Reason
    /// Where the offending text came from.
    public var source: Source

    /// Creates an error.
    public init(key: String, reason: Reason, source: Source = .connectionString) {
        self.key = key
        self.reason = reason
        self.source = source
    }

    /// A one-line message naming the option and the source; never a secret.
    public var description: String {
        let message: String
        switch reason {
        case .unknownKey:
            message = "unknown connection option \"\(key)\""
        case .invalidValue(let value?, let expected):
            message =
                "invalid value \"\(value)\" for connection option \"\(key)\": expected \(expected)"
        case .invalidValue(nil, let expected):
            message = "invalid value for connection option \"\(key)\": expected \(expected)"
        case .malformedString(let detail):
            message = "malformed connection string at \"\(key)\": \(detail)"
        }
        switch source {
        case .connectionString: return message
        case .environmentVariable(let name): return message + " (from environment variable \(name))"
        case .override: return message + " (from an override)"
        case .builtInDefault: return message + " (built-in default)"
        }
    }
}
