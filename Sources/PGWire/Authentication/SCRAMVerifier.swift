/// A SCRAM-SHA-256 verifier as PostgreSQL stores it in `pg_authid.rolpassword`:
/// `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, all in base64.
///
/// Made on the client, like libpq's `PQencryptPasswordConn`, so that `CREATE ROLE … PASSWORD` and
/// `ALTER ROLE … PASSWORD` can send the verifier instead of the password, which then never
/// reaches the server's statement logs or `pg_stat_statements`. The server recognises the form
/// and stores it unchanged.
///
/// ```swift
/// let verifier = try SCRAMVerifier(password: "s3cret")
/// try await connection.simpleQuery("CREATE ROLE app LOGIN PASSWORD '\(verifier.text)'")
/// ```
public struct SCRAMVerifier: Sendable, Hashable, CustomStringConvertible {
    /// PostgreSQL's default iteration count (`scram_iterations` in PostgreSQL 16 and later).
    public static let defaultIterationCount = 4096
    /// PostgreSQL's salt length in bytes.
    public static let defaultSaltByteCount = 16

    /// The verifier's text: base64 and the characters `$`, `:` and `-`, never a quote, so it can
    /// stand in a single-quoted SQL literal as it is.
    public let text: String

    /// Derives the verifier of `password` (SASLprep'd as the server does) with `salt`.
    ///
    /// - Parameters:
    ///   - password: the password, taken as UTF-8.
    ///   - salt: the salt; by default 16 bytes from `SystemRandomNumberGenerator`.
    ///   - iterationCount: PBKDF2 rounds, `1...SCRAMSHA256.maximumIterationCount`.
    /// - Throws: `.invalidSalt` for an empty salt, `.invalidIterationCount` for a count out of
    ///   range, `.keyDerivationFailed` when the crypto library refuses the parameters.
    public init(
        password: String, salt: [UInt8]? = nil, iterationCount: Int = defaultIterationCount
    ) throws(PGAuthenticationError) {
        guard (1...SCRAMSHA256.maximumIterationCount).contains(iterationCount) else {
            throw PGAuthenticationError(.invalidIterationCount(String(iterationCount)))
        }
        let salt = salt ?? Self.randomSalt()
        guard !salt.isEmpty else { throw PGAuthenticationError(.invalidSalt) }
        let keys = try SCRAMKeys(
            password: SASLprep.prepare(Array(password.utf8)), salt: salt,
            iterationCount: iterationCount)
        text =
            "SCRAM-SHA-256$\(iterationCount):\(Base64.encode(salt))"
            + "$\(Base64.encode(keys.storedKey)):\(Base64.encode(keys.serverKey))"
    }

    /// The verifier's text (never the password).
    public var description: String { text }

    private static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<defaultSaltByteCount).map { _ in
            UInt8.random(in: .min ... .max, using: &generator)
        }
    }
}
