import Crypto
import CryptoExtras

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The keys of RFC 5802 §3 for one password, salt and iteration count, and the proofs made with
/// them: SaltedPassword = PBKDF2-HMAC-SHA-256, ClientKey and ServerKey = HMAC(SaltedPassword,
/// "Client Key" / "Server Key"), StoredKey = SHA-256(ClientKey).
///
/// StoredKey and ServerKey are what PostgreSQL keeps in `pg_authid.rolpassword`
/// (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`), which the tests compare against.
struct SCRAMKeys: Sendable {
    let clientKey: [UInt8]
    let storedKey: [UInt8]
    let serverKey: [UInt8]

    /// Derives the keys from an already SASLprep'd password.
    ///
    /// - Throws: `.keyDerivationFailed` if the crypto library refuses the parameters.
    init(password: [UInt8], salt: [UInt8], iterationCount: Int) throws(PGAuthenticationError) {
        let saltedPassword: SymmetricKey
        do {
            // The checked variant insists on at least 210,000 rounds; PostgreSQL's default is 4096,
            // and the count is the server's choice, bounded by `maximumIterationCount`.
            saltedPassword = try KDF.Insecure.PBKDF2.deriveKey(
                from: password,
                salt: salt,
                using: .sha256,
                outputByteCount: SCRAMSHA256.keyLength,
                unsafeUncheckedRounds: iterationCount
            )
        } catch {
            throw PGAuthenticationError(.keyDerivationFailed)
        }
        let clientKey = Self.hmac(key: saltedPassword, Array("Client Key".utf8))
        self.clientKey = clientKey
        self.storedKey = Array(SHA256.hash(data: clientKey))
        self.serverKey = Self.hmac(key: saltedPassword, Array("Server Key".utf8))
    }

    /// ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage).
    func clientProof(authMessage: [UInt8]) -> [UInt8] {
        let clientSignature = Self.hmac(key: SymmetricKey(data: storedKey), authMessage)
        return zip(clientKey, clientSignature).map { $0 ^ $1 }
    }

    /// ServerSignature = HMAC(ServerKey, AuthMessage).
    func serverSignature(authMessage: [UInt8]) -> [UInt8] {
        Self.hmac(key: SymmetricKey(data: serverKey), authMessage)
    }

    private static func hmac(key: SymmetricKey, _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }
}
