import Crypto

/// The answer to AuthenticationMD5Password: `"md5"` followed by the lowercase hex of
/// `MD5(hex(MD5(password + username)) + salt)`, where the salt is the server's 4 random bytes.
///
/// The result is the password field of a PasswordMessage; the message encoder adds the NUL
/// terminator. MD5 authentication is deprecated in PostgreSQL and offers no protection against a
/// server impersonator who learns the response; prefer SCRAM.
///
/// AuthenticationCleartextPassword needs no helper: its answer is the password's bytes as they are
/// (no SASLprep), NUL-terminated by the message encoder like this response.
///
/// ```swift
/// let response = MD5Password.response(password: Array("secret".utf8), username: "alice", salt: salt)
/// send(.password(response))
/// ```
public enum MD5Password {
    /// The `md5…` response for a user, a password and the server's salt.
    ///
    /// - Parameters:
    ///   - password: the password's bytes, unchanged (no SASLprep for MD5).
    ///   - username: the user name from the startup message.
    ///   - salt: the 4 bytes of AuthenticationMD5Password.
    public static func response(password: [UInt8], username: String, salt: [UInt8]) -> [UInt8] {
        let inner = hexMD5(password + Array(username.utf8))
        return Array("md5".utf8) + hexMD5(inner + salt)
    }

    /// Lowercase hex of the MD5 digest, as ASCII bytes.
    private static func hexMD5(_ bytes: [UInt8]) -> [UInt8] {
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * Insecure.MD5.byteCount)
        for byte in Insecure.MD5.hash(data: bytes) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return hex
    }
}
