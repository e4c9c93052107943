/// The fields of a SCRAM server-first-message (RFC 5802 §7), read strictly as PostgreSQL sends it:
/// `r=<nonce>,s=<base64 salt>,i=<iterations>` and nothing else.
struct SCRAMServerFirstMessage: Hashable, Sendable {
    /// The combined nonce: the client nonce followed by the server's part.
    var nonce: [UInt8]
    /// The decoded salt.
    var salt: [UInt8]
    /// The PBKDF2 iteration count, in `1...SCRAMSHA256.maximumIterationCount`.
    var iterationCount: Int

    /// Parses and checks a server-first-message against the nonce this client sent.
    ///
    /// - Throws: `.unsupportedMandatoryExtension` for a leading `m=`, `.malformedServerMessage`
    ///   for a missing, misplaced or extra attribute, `.invalidServerNonce`, `.nonceMismatch`,
    ///   `.invalidSalt` or `.invalidIterationCount`.
    init(parsing bytes: [UInt8], clientNonce: [UInt8]) throws(PGAuthenticationError) {
        var reader = SCRAMAttributeReader(bytes)
        if reader.nextAttributeName == UInt8(ascii: "m") {
            throw PGAuthenticationError(.unsupportedMandatoryExtension)
        }
        let nonce = try reader.read("r")
        let salt = try reader.read("s")
        let iterations = try reader.read("i")
        try reader.expectEnd()

        guard nonce.allSatisfy(Self.isPrintable) else {
            throw PGAuthenticationError(.invalidServerNonce)
        }
        guard nonce.count > clientNonce.count, nonce.starts(with: clientNonce) else {
            throw PGAuthenticationError(.nonceMismatch)
        }
        guard let decodedSalt = Base64.decode(salt), !decodedSalt.isEmpty else {
            throw PGAuthenticationError(.invalidSalt)
        }
        self.nonce = Array(nonce)
        self.salt = decodedSalt
        self.iterationCount = try Self.parseIterationCount(iterations)
    }

    /// Reads a plain decimal count: digits only (no sign, no spaces), at least 1, at most
    /// `SCRAMSHA256.maximumIterationCount`; overflow is caught before it can happen.
    static func parseIterationCount(_ text: ArraySlice<UInt8>) throws(PGAuthenticationError) -> Int
    {
        let invalid = PGAuthenticationError(
            .invalidIterationCount(String(decoding: text.prefix(32), as: UTF8.self)))
        guard !text.isEmpty else { throw invalid }
        var value = 0
        for byte in text {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw invalid }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            guard value <= SCRAMSHA256.maximumIterationCount else { throw invalid }
        }
        guard value >= 1 else { throw invalid }
        return value
    }

    /// RFC 5802's `printable`: ASCII 0x21–0x7E except the comma.
    static func isPrintable(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: ",")
    }
}

/// The outcome of a SCRAM server-final-message (RFC 5802 §7): `v=<base64 signature>`, or `e=<reason>`
/// which is thrown as `.serverError`.
struct SCRAMServerFinalMessage: Hashable, Sendable {
    /// The decoded ServerSignature, 32 bytes.
    var serverSignature: [UInt8]

    /// Parses a server-final-message.
    ///
    /// - Throws: `.serverError` with the server's reason for `e=`, `.malformedServerMessage` for
    ///   anything but a single `v=` attribute, `.invalidServerSignature` when its value is not
    ///   base64 of 32 bytes.
    init(parsing bytes: [UInt8]) throws(PGAuthenticationError) {
        var reader = SCRAMAttributeReader(bytes)
        if reader.nextAttributeName == UInt8(ascii: "e") {
            let reason = try reader.read("e")
            throw PGAuthenticationError(.serverError(String(decoding: reason, as: UTF8.self)))
        }
        let verifier = try reader.read("v")
        try reader.expectEnd()
        guard let signature = Base64.decode(verifier), signature.count == SCRAMSHA256.keyLength
        else {
            throw PGAuthenticationError(.invalidServerSignature)
        }
        self.serverSignature = signature
    }
}

/// Reads `name=value` attributes separated by commas, in a fixed order.
struct SCRAMAttributeReader {
    private let bytes: [UInt8]
    /// Where the next attribute starts, or, after the first one, the comma before it.
    private var index = 0
    private var hasReadAttribute = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The name of the attribute that `read` would read next, if there is one.
    var nextAttributeName: UInt8? {
        let position = hasReadAttribute ? index + 1 : index
        return position < bytes.count ? bytes[position] : nil
    }

    /// Reads the next attribute, which must be `name=`, and returns its value (up to the next comma).
    mutating func read(_ name: Unicode.Scalar) throws(PGAuthenticationError) -> ArraySlice<UInt8> {
        var start = index
        if hasReadAttribute {
            guard start < bytes.count else {
                throw PGAuthenticationError(
                    .malformedServerMessage("attribute '\(name)' is missing"))
            }
            // `index` sits on the comma that ended the previous value.
            start += 1
        }
        guard start < bytes.count else {
            throw PGAuthenticationError(.malformedServerMessage("attribute '\(name)' is missing"))
        }
        guard bytes[start] == UInt8(ascii: name), start + 1 < bytes.count,
            bytes[start + 1] == UInt8(ascii: "=")
        else {
            throw PGAuthenticationError(.malformedServerMessage("expected attribute '\(name)='"))
        }
        let valueStart = start + 2
        let valueEnd = bytes[valueStart...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
        index = valueEnd
        hasReadAttribute = true
        return bytes[valueStart..<valueEnd]
    }

    /// Checks that nothing, not even a comma, follows the last attribute read.
    func expectEnd() throws(PGAuthenticationError) {
        guard index == bytes.count else {
            throw PGAuthenticationError(
                .malformedServerMessage("unexpected data after the last attribute"))
        }
    }
}
