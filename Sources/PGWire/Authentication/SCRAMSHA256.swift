/// The client side of a SCRAM-SHA-256 or SCRAM-SHA-256-PLUS exchange (RFC 5802, RFC 7677) as
/// PostgreSQL runs it: a plain value that turns server payloads into client payloads, with no I/O.
///
/// The exchange, with the messages that carry each payload:
/// 1. Send SASLInitialResponse with ``mechanism`` and ``clientFirstMessage``.
/// 2. On AuthenticationSASLContinue, send ``receive(serverFirst:)``'s result in a SASLResponse.
/// 3. On AuthenticationSASLFinal, call ``receive(serverFinal:)``; afterwards ``isServerVerified``
///    is `true`. Only then may AuthenticationOk be believed: a server that answers Ok without a
///    verified final message has not proven that it knows the password.
///
/// The password goes through SASLprep as libpq's `pg_saslprep` does (and is used unchanged where
/// that fails). The username is sent empty (`n=,`) by default, as libpq does: PostgreSQL uses the
/// user of the startup message and ignores this one.
///
/// Every check the server's messages fail is a thrown ``PGAuthenticationError``; so is a step taken
/// out of order. After an error the value is spent and every further step throws
/// `.unexpectedStep`.
///
/// ```swift
/// var scram = SCRAMSHA256(password: "secret", channelBinding: .notSupportedByClient)
/// send(.saslInitialResponse(mechanism: scram.mechanism, data: scram.clientFirstMessage))
/// send(.saslResponse(try scram.receive(serverFirst: continuePayload)))
/// try scram.receive(serverFinal: finalPayload)
/// assert(scram.isServerVerified)
/// ```
public struct SCRAMSHA256: Sendable {
    /// The largest iteration count accepted from a server: 100 million. PostgreSQL's default is
    /// 4096; the bound keeps a hostile server from making the client spin on PBKDF2 for hours
    /// (100 million iterations already take about half a minute of CPU).
    public static let maximumIterationCount = 100_000_000

    /// Length of SaltedPassword, the keys and the signatures: the SHA-256 output size.
    static let keyLength = 32

    /// How many random bytes the default client nonce has before base64, as in libpq.
    static let randomNonceByteCount = 18

    /// What this client says about channel binding.
    public let channelBinding: SCRAMChannelBinding

    /// The SASL mechanism to name in SASLInitialResponse: `SCRAM-SHA-256`, or
    /// `SCRAM-SHA-256-PLUS` when binding to the server certificate.
    public var mechanism: String { channelBinding.mechanism }

    /// The client-first-message: GS2 header, then `n=<username>,r=<client nonce>`.
    public let clientFirstMessage: [UInt8]

    /// Whether the server has proven, with a correct server signature, that it knows the password.
    public private(set) var isServerVerified = false

    private let clientNonce: [UInt8]
    /// The client-first-message without its GS2 header, a part of AuthMessage.
    private let clientFirstMessageBare: [UInt8]
    private var state: State

    private enum State: Sendable {
        case awaitingServerFirst(password: [UInt8])
        case awaitingServerFinal(expectedServerSignature: [UInt8])
        case verified
        case failed
    }

    /// Starts an exchange with a fresh random client nonce: 18 bytes from
    /// `SystemRandomNumberGenerator` (the operating system's cryptographic source, `getrandom` on
    /// Linux) in base64, as libpq does.
    ///
    /// - Parameters:
    ///   - password: the password's bytes; SASLprep is applied when they are UTF-8 it accepts.
    ///   - channelBinding: what to say about channel binding; see ``SCRAMChannelBinding``.
    ///   - username: the `n=` value; leave it empty for PostgreSQL, which ignores it.
    public init(password: [UInt8], channelBinding: SCRAMChannelBinding, username: String = "") {
        var generator = SystemRandomNumberGenerator()
        let randomBytes = (0..<Self.randomNonceByteCount).map { _ in
            UInt8.random(in: .min ... .max, using: &generator)
        }
        self.init(
            validNonce: Base64.encodeToBytes(randomBytes), password: password,
            channelBinding: channelBinding, username: username)
    }

    /// Starts an exchange with a fresh random client nonce; the password is taken as UTF-8.
    public init(password: String, channelBinding: SCRAMChannelBinding, username: String = "") {
        self.init(
            password: Array(password.utf8), channelBinding: channelBinding, username: username)
    }

    /// Starts an exchange with a given client nonce, for tests that replay a known exchange.
    ///
    /// - Throws: `.invalidClientNonce` when the nonce is empty or has a character outside
    ///   printable ASCII or a comma.
    public init(
        password: [UInt8],
        channelBinding: SCRAMChannelBinding,
        username: String = "",
        clientNonce: String
    ) throws(PGAuthenticationError) {
        let nonce = Array(clientNonce.utf8)
        guard !nonce.isEmpty, nonce.allSatisfy(SCRAMServerFirstMessage.isPrintable) else {
            throw PGAuthenticationError(.invalidClientNonce)
        }
        self.init(
            validNonce: nonce, password: password, channelBinding: channelBinding,
            username: username)
    }

    private init(
        validNonce: [UInt8], password: [UInt8], channelBinding: SCRAMChannelBinding,
        username: String
    ) {
        self.channelBinding = channelBinding
        self.clientNonce = validNonce
        self.clientFirstMessageBare = Array("n=\(Self.saslName(username)),r=".utf8) + validNonce
        self.clientFirstMessage = Array(channelBinding.gs2Header.utf8) + clientFirstMessageBare
        self.state = .awaitingServerFirst(password: SASLprep.prepare(password))
    }

    /// Takes the server-first-message (the AuthenticationSASLContinue payload) and returns the
    /// client-final-message to send in SASLResponse.
    ///
    /// - Throws: `.unexpectedStep` unless this is the first server message;
    ///   `.unsupportedMandatoryExtension`, `.malformedServerMessage`, `.invalidServerNonce`,
    ///   `.nonceMismatch`, `.invalidSalt`, `.invalidIterationCount` when the message fails a check.
    public mutating func receive(serverFirst: [UInt8]) throws(PGAuthenticationError) -> [UInt8] {
        guard case .awaitingServerFirst(let password) = state else {
            throw PGAuthenticationError(.unexpectedStep("the server-first-message"))
        }
        state = .failed
        let message = try SCRAMServerFirstMessage(parsing: serverFirst, clientNonce: clientNonce)
        let keys = try SCRAMKeys(
            password: password, salt: message.salt, iterationCount: message.iterationCount)

        let clientFinalWithoutProof =
            Array("c=\(channelBinding.channelBindingAttribute),r=".utf8) + message.nonce
        let authMessage =
            clientFirstMessageBare + [UInt8(ascii: ",")] + serverFirst + [UInt8(ascii: ",")]
            + clientFinalWithoutProof
        let proof = keys.clientProof(authMessage: authMessage)
        state = .awaitingServerFinal(
            expectedServerSignature: keys.serverSignature(authMessage: authMessage))
        return clientFinalWithoutProof + Array(",p=".utf8) + Base64.encodeToBytes(proof)
    }

    /// Takes the server-final-message (the AuthenticationSASLFinal payload) and checks the server's
    /// signature; on success ``isServerVerified`` becomes `true`.
    ///
    /// - Throws: `.unexpectedStep` unless ``receive(serverFirst:)`` succeeded just before;
    ///   `.serverError` with the server's reason for `e=`; `.malformedServerMessage`,
    ///   `.invalidServerSignature`, or `.serverSignatureMismatch` when the signature is wrong.
    public mutating func receive(serverFinal: [UInt8]) throws(PGAuthenticationError) {
        guard case .awaitingServerFinal(let expectedServerSignature) = state else {
            throw PGAuthenticationError(.unexpectedStep("the server-final-message"))
        }
        state = .failed
        let message = try SCRAMServerFinalMessage(parsing: serverFinal)
        guard Self.constantTimeEqual(message.serverSignature, expectedServerSignature) else {
            throw PGAuthenticationError(.serverSignatureMismatch)
        }
        state = .verified
        isServerVerified = true
    }

    /// Escapes a username as RFC 5802's `saslname`: `=` becomes `=3D` and `,` becomes `=2C`.
    static func saslName(_ username: String) -> String {
        var escaped = ""
        for character in username.unicodeScalars {
            switch character {
            case "=": escaped += "=3D"
            case ",": escaped += "=2C"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Compares two byte strings in time that depends only on their lengths, so that a forged
    /// signature learns nothing from how long the comparison took.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}

extension SCRAMSHA256: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Names the mechanism and the step; never shows the password or keys.
    public var description: String {
        let step: String
        switch state {
        case .awaitingServerFirst: step = "awaiting server-first-message"
        case .awaitingServerFinal: step = "awaiting server-final-message"
        case .verified: step = "server verified"
        case .failed: step = "failed"
        }
        return "SCRAMSHA256(\(mechanism), \(step))"
    }

    public var debugDescription: String { description }

    /// Hides the stored password and keys from `dump` and debuggers' reflection.
    public var customMirror: Mirror {
        Mirror(self, children: ["mechanism": mechanism, "isServerVerified": isServerVerified])
    }
}
