public import PGWire

extension PGConfig {
    /// libpq's `sslmode`: whether to use TLS and how much to check the server's certificate.
    ///
    /// The default is ``prefer``, or ``verifyFull`` when `sslrootcert=system` (as libpq 16 does).
    ///
    /// ```swift
    /// let config = try PGConfig("host=db.example.com sslmode=verify-full")
    /// config.sslMode  // .verifyFull
    /// ```
    public enum SSLMode: String, CaseIterable, Hashable, Sendable {
        /// Plain text only.
        case disable
        /// Plain text first; TLS if the server insists. pgwire-swift asks for TLS and goes on
        /// without it, as ``prefer`` does.
        case allow
        /// TLS if the server offers it, plain text otherwise; the certificate is not checked.
        case prefer
        /// TLS or fail; the certificate is not checked (unless a root certificate is given, as
        /// libpq does for `require` with `sslrootcert`).
        case require
        /// TLS or fail; the certificate must chain to a trusted root.
        case verifyCA = "verify-ca"
        /// TLS or fail; the certificate must chain to a trusted root and name the host.
        case verifyFull = "verify-full"

        /// How the connection state machine asks for TLS in this mode.
        public var tlsPolicy: ConnectionSettings.TLSPolicy {
            switch self {
            case .disable: .disable
            case .allow, .prefer: .prefer
            case .require, .verifyCA, .verifyFull: .require
            }
        }

        /// Whether the server's certificate must be verified against a root.
        public var verifiesCertificate: Bool {
            self == .verifyCA || self == .verifyFull
        }
    }

    /// libpq's `sslrootcert`: where the trusted root certificates come from.
    public enum SSLRootCert: Hashable, Sendable {
        /// A PEM file of root certificates.
        case file(String)
        /// The operating system's trust store (`sslrootcert=system`).
        case system

        init(_ value: String) {
            self = value == "system" ? .system : .file(value)
        }
    }
}
