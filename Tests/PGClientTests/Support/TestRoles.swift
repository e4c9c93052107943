/// The roles and databases the shared cluster is made with, one per authentication path the
/// integration tests take. Each role's `pg_hba.conf` line is in ``TestRoles/hbaLines``.
enum TestRoles {
    /// A login with a name, a password (or none) and the `pg_hba.conf` method that admits it.
    struct Role: Sendable {
        let name: String
        let password: String?
    }

    /// SCRAM-SHA-256 (the cluster's default method), with or without TLS.
    static let scram = Role(name: "scram_user", password: "scram-secret")
    /// An MD5-stored password behind an `md5` rule: the server asks for MD5.
    static let md5 = Role(name: "md5_user", password: "md5-secret")
    /// A `password` rule: the server asks for the password in clear text.
    static let cleartext = Role(name: "cleartext_user", password: "clear-secret")
    /// A `trust` rule for this role only: no password asked.
    static let trust = Role(name: "trust_user", password: nil)
    /// Admitted only without TLS (`hostnossl`); a TLS session is rejected.
    static let plainOnly = Role(name: "nossl_user", password: "nossl-secret")
    /// Admitted only over TLS (`hostssl`); a plain session is rejected.
    static let tlsOnly = Role(name: "sslonly_user", password: "sslonly-secret")
    /// A `cert` rule: the client certificate's CN is the role name; no password.
    static let cert = Role(name: "cert_user", password: nil)
    /// Unicode in the name and in the password. The password holds "ﬁ" (U+FB01), which
    /// SASLprep's NFKC step turns into "fi": the server stores the SCRAM secret of the prepared
    /// form, so only a client that runs SASLprep gets in.
    static let unicode = Role(name: "üsér_名前", password: "pässwörd_ﬁ_密码")
    /// The prepared form of ``unicode``'s password, which must work as well.
    static let unicodePasswordPrepared = "pässwörd_fi_密码"
    /// A database with a non-ASCII name, owned by ``unicode``.
    static let unicodeDatabase = "dätäbase"

    /// Roles made through `PGLocalCluster.Options.users`. The unicode role is made through our
    /// own client afterwards (psql would inherit the caller's locale and encoding).
    static var asciiUsers: [(Role, md5: Bool)] {
        [(scram, false), (md5, true), (cleartext, false), (trust, false), (plainOnly, false),
         (tlsOnly, false), (cert, false)]
    }

    /// Lines placed before the cluster's default `host all all … scram-sha-256` lines (first
    /// match wins). `samehost` covers 127.0.0.1 and ::1, so `localhost` works whichever
    /// address it resolves to.
    static let hbaLines: [String] = [
        "host all \(md5.name) samehost md5",
        "host all \(cleartext.name) samehost password",
        "host all \(trust.name) samehost trust",
        "hostnossl all \(plainOnly.name) samehost scram-sha-256",
        "host all \(plainOnly.name) samehost reject",
        "hostssl all \(tlsOnly.name) samehost scram-sha-256",
        "host all \(tlsOnly.name) samehost reject",
        "hostssl all \(cert.name) samehost cert",
        "host all \(cert.name) samehost reject",
    ]
}
