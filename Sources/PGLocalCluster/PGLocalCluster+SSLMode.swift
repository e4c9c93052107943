extension PGLocalCluster {
    /// libpq's `sslmode`, for the connection strings the cluster hands out.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable
        case allow
        case prefer
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"

        /// Whether this mode checks the server certificate against `sslrootcert`.
        public var verifiesCertificate: Bool {
            self == .verifyCA || self == .verifyFull
        }
    }
}
