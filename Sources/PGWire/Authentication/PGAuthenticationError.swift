/// Why password authentication could not go on: a SCRAM exchange the server got wrong or broke off,
/// a step taken out of order, or a TLS certificate that gives no channel-binding hash.
///
/// The error names what went wrong and, where the server sent it, the offending value; it never
/// contains the password or anything derived from it.
///
/// ```swift
/// do {
///     let clientFinal = try scram.receive(serverFirst: payload)
/// } catch {
///     logger.error("\(error)")   // "SCRAM authentication failed: the server nonce does not ..."
/// }
/// ```
public struct PGAuthenticationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// The server ended the SCRAM exchange with `e=`; the value is the server's own reason
        /// (`"invalid-proof"`, `"channel-bindings-dont-match"`, …).
        case serverError(String)
        /// A server message is not shaped as SCRAM requires: an attribute is missing, out of order,
        /// has no `=`, or there is something after the last attribute. The text says which.
        case malformedServerMessage(String)
        /// The server-first-message starts with `m=`, a mandatory extension that no client supports.
        case unsupportedMandatoryExtension
        /// The server nonce does not start with the client nonce, or adds nothing to it.
        case nonceMismatch
        /// The server nonce contains a character outside printable ASCII.
        case invalidServerNonce
        /// The salt is empty or not canonical base64.
        case invalidSalt
        /// The iteration count is not a decimal integer in
        /// `1...SCRAMSHA256.maximumIterationCount`; the value is what the server sent (cut to 32
        /// characters).
        case invalidIterationCount(String)
        /// The server signature (`v=`) is not canonical base64 of 32 bytes.
        case invalidServerSignature
        /// The server signature does not match the one computed from the password: the server does
        /// not know the password, or someone between us and the server changed the exchange.
        case serverSignatureMismatch
        /// A step of the exchange was called when it was not due (the value names the step), or
        /// after the exchange had already failed or finished.
        case unexpectedStep(String)
        /// A client nonce given to the initializer contains a character outside printable ASCII, a
        /// comma, or nothing at all.
        case invalidClientNonce
        /// Deriving the salted password failed inside the crypto library.
        case keyDerivationFailed
        /// The server said authentication succeeded before it had proven, with a verified
        /// server-final-message, that it knows the password: an impostor's shortcut.
        case incompleteExchange
        /// The server certificate is not well-formed DER as far as the channel binding needs to read
        /// it; the text says where.
        case malformedCertificate(String)
        /// The certificate's signature algorithm gives no hash that `tls-server-end-point` can use
        /// (Ed25519, Ed448, SHA-224, SHA-3, …), as libpq refuses these too. The value is the dotted
        /// OID of the signature algorithm, or of the hash inside RSASSA-PSS parameters.
        case unsupportedCertificateSignatureAlgorithm(String)
    }

    /// What went wrong.
    public var kind: Kind

    /// Creates an error of the given kind.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .serverError(let message):
            return "SCRAM authentication failed: the server reported \"\(message)\""
        case .malformedServerMessage(let reason):
            return "SCRAM authentication failed: malformed server message (\(reason))"
        case .unsupportedMandatoryExtension:
            return
                "SCRAM authentication failed: the server requires an unsupported mandatory extension (m=)"
        case .nonceMismatch:
            return "SCRAM authentication failed: the server nonce does not extend the client nonce"
        case .invalidServerNonce:
            return "SCRAM authentication failed: the server nonce contains non-printable characters"
        case .invalidSalt:
            return "SCRAM authentication failed: the salt is empty or not valid base64"
        case .invalidIterationCount(let value):
            return
                "SCRAM authentication failed: invalid iteration count \"\(value)\" (allowed: 1...\(SCRAMSHA256.maximumIterationCount))"
        case .invalidServerSignature:
            return "SCRAM authentication failed: the server signature is not base64 of 32 bytes"
        case .serverSignatureMismatch:
            return
                "SCRAM authentication failed: the server signature is wrong; the server could not prove it knows the password"
        case .unexpectedStep(let step):
            return
                "SCRAM authentication failed: \(step) was not expected at this point of the exchange"
        case .invalidClientNonce:
            return
                "SCRAM authentication failed: the client nonce must be non-empty printable ASCII without commas"
        case .keyDerivationFailed:
            return "SCRAM authentication failed: PBKDF2 key derivation failed"
        case .incompleteExchange:
            return "SCRAM authentication failed: the server reported success without proving it knows the password"
        case .malformedCertificate(let reason):
            return "channel binding failed: malformed server certificate (\(reason))"
        case .unsupportedCertificateSignatureAlgorithm(let oid):
            return
                "channel binding failed: no tls-server-end-point hash for the server certificate's signature algorithm \(oid)"
        }
    }
}
