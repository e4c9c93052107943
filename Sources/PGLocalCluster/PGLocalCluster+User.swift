extension PGLocalCluster {
    /// A login role made when the cluster starts (or later with ``PGLocalCluster/createUser(_:)``).
    ///
    /// ```swift
    /// let legacy = PGLocalCluster.User(name: "old_app", password: "secret", passwordEncryption: .md5)
    /// ```
    public struct User: Sendable, Hashable {
        /// The role name.
        public var name: String
        /// The password; `nil` makes a role without one (for `trust` or `cert` rules).
        public var password: String?
        /// How the server stores the password, which decides which auth methods can check it.
        public var passwordEncryption: PasswordEncryption
        /// Whether the role is a superuser.
        public var isSuperuser: Bool

        /// A login role named `name`.
        public init(
            name: String,
            password: String? = nil,
            passwordEncryption: PasswordEncryption = .scramSHA256,
            isSuperuser: Bool = false
        ) {
            self.name = name
            self.password = password
            self.passwordEncryption = passwordEncryption
            self.isSuperuser = isSuperuser
        }
    }

    /// How a password is stored (`password_encryption` when the role is made).
    public enum PasswordEncryption: String, Sendable, Hashable, CaseIterable {
        /// A SCRAM-SHA-256 secret: works with `scram-sha-256`, `md5` (answered with SCRAM) and
        /// `password` rules.
        case scramSHA256 = "scram-sha-256"
        /// An MD5 hash: works with `md5` and `password` rules, not with `scram-sha-256`.
        case md5
    }

    /// A client certificate and key made by ``PGLocalCluster/makeClientCertificate(user:)``.
    public struct ClientCertificate: Sendable, Hashable {
        /// PEM certificate signed by the cluster's CA, with the user name as CN (libpq `sslcert`).
        public var certificatePath: String
        /// PEM private key, mode 0600 (libpq `sslkey`).
        public var keyPath: String
    }
}
