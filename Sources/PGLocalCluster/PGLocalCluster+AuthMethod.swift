extension PGLocalCluster {
    /// The `pg_hba.conf` method of the cluster's default lines (local socket, 127.0.0.1, ::1).
    ///
    /// ```swift
    /// var options = PGLocalCluster.Options()
    /// options.authMethod = .md5
    /// ```
    public enum AuthMethod: String, Sendable, Hashable, CaseIterable {
        /// No password asked.
        case trust
        /// Cleartext password.
        case password
        /// MD5 challenge (the server answers with SCRAM for users whose secret is SCRAM).
        case md5
        /// SCRAM-SHA-256, the default.
        case scramSHA256 = "scram-sha-256"
        /// A client certificate whose CN is the user name; the default TCP lines become `hostssl`.
        case cert
    }
}
