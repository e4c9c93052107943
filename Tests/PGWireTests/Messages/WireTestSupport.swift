import NIOCore
import PGWire
import PGWireTestSupport
import Testing

/// Pieces for writing expected wire bytes by hand, field by field as the protocol documentation
/// lays them out: `[UInt8(ascii: "Z")] + int32(5) + [UInt8(ascii: "I")]`.
enum Wire {
    /// A big-endian Int32.
    static func int32(_ value: Int32) -> [UInt8] {
        let bits = UInt32(bitPattern: value)
        return [
            UInt8(bits >> 24), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF),
            UInt8(bits & 0xFF),
        ]
    }

    /// A big-endian Int16.
    static func int16(_ value: Int16) -> [UInt8] {
        let bits = UInt16(bitPattern: value)
        return [UInt8(bits >> 8), UInt8(bits & 0xFF)]
    }

    /// A string's UTF-8 bytes and a NUL terminator.
    static func cstring(_ string: String) -> [UInt8] { Array(string.utf8) + [0] }

    /// A string's UTF-8 bytes, no terminator.
    static func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

    /// A typed message: the type byte, the Int32 length counting itself, and the body.
    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        [UInt8(ascii: type.unicodeScalars.first ?? "?")] + int32(Int32(body.count + 4)) + body
    }
}

extension ByteBuffer {
    /// The readable bytes as an array, for comparisons.
    var bytes: [UInt8] { Array(readableBytesView) }
}

/// Checks a backend message against bytes written out by hand: it encodes to exactly those bytes,
/// they decode to the message (consuming all of them, and nothing while any byte is missing), and
/// the decoded message encodes to the same bytes again.
func expectBackendMessage(
    _ message: BackendMessage, encodesTo expected: [UInt8],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var encoded = ByteBuffer()
    message.encode(into: &encoded)
    #expect(encoded.bytes == expected, "encoding", sourceLocation: sourceLocation)

    let decoder = BackendMessageDecoder()
    for cut in prefixLengths(of: expected) {
        var partial = ByteBuffer(bytes: expected.prefix(cut))
        #expect(
            try decoder.decode(from: &partial) == nil, "prefix of \(cut) bytes",
            sourceLocation: sourceLocation)
        #expect(partial.readableBytes == cut, sourceLocation: sourceLocation)
    }

    var input = ByteBuffer(bytes: expected)
    let decoded = try #require(try decoder.decode(from: &input), sourceLocation: sourceLocation)
    #expect(decoded == message, sourceLocation: sourceLocation)
    #expect(input.readableBytes == 0, sourceLocation: sourceLocation)

    var reencoded = ByteBuffer()
    decoded.encode(into: &reencoded)
    #expect(reencoded.bytes == expected, "re-encoding", sourceLocation: sourceLocation)
}

/// The lengths of the incomplete prefixes to try: all of them for a small message, a sample
/// around the header and the end for a large one.
func prefixLengths(of bytes: [UInt8]) -> [Int] {
    guard bytes.count > 1024 else { return Array(0..<bytes.count) }
    return Array(0...9) + [bytes.count / 2, bytes.count - 2, bytes.count - 1]
}

/// Decodes one whole backend message, expecting it to be complete and to use every byte.
func decodeBackend(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws
    -> BackendMessage
{
    var input = ByteBuffer(bytes: bytes)
    let message = try #require(
        try BackendMessageDecoder().decode(from: &input), sourceLocation: sourceLocation)
    #expect(input.readableBytes == 0, sourceLocation: sourceLocation)
    return message
}

/// The error the backend decoder throws for `bytes`, or `nil` (a recorded failure) if it throws none.
func backendDecodingError(
    _ bytes: [UInt8], maximumMessageSize: Int = BackendMessageDecoder.defaultMaximumMessageSize,
    sourceLocation: SourceLocation = #_sourceLocation
) -> PGWireError? {
    var input = ByteBuffer(bytes: bytes)
    let decoder = BackendMessageDecoder(maximumMessageSize: maximumMessageSize)
    do {
        let message = try decoder.decode(from: &input)
        Issue.record(
            "expected an error, decoded \(String(describing: message))",
            sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

extension FrontendMessage {
    /// Whether the message is one of the untyped startup-family messages.
    var isStartupFamily: Bool {
        switch self {
        case .startup, .sslRequest, .gssEncRequest, .cancelRequest: true
        default: false
        }
    }

    /// How a `p` message of this kind must be read.
    var passwordMessageKind: FrontendMessageDecoder.PasswordMessageKind {
        switch self {
        case .saslInitialResponse: .saslInitialResponse
        case .saslResponse: .saslResponse
        default: .password
        }
    }
}

/// A frontend decoder set up to read `message`'s kind: startup-family first or not, and the
/// right reading of a `p` message.
func frontendDecoder(for message: FrontendMessage) -> FrontendMessageDecoder {
    var decoder = FrontendMessageDecoder()
    decoder.expectsStartupMessage = message.isStartupFamily
    decoder.passwordMessageKind = message.passwordMessageKind
    return decoder
}

/// Checks a frontend message against bytes written out by hand: it encodes to exactly those bytes
/// (appending to what the buffer already held), and `FrontendMessageDecoder` reads them back to
/// the message, consuming nothing while any byte is missing.
func expectFrontendMessage(
    _ message: FrontendMessage, encodesTo expected: [UInt8],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var encoded = ByteBuffer(bytes: [0xAA])
    try message.encode(into: &encoded)
    #expect(encoded.bytes == [0xAA] + expected, "encoding", sourceLocation: sourceLocation)

    for cut in prefixLengths(of: expected) {
        var decoder = frontendDecoder(for: message)
        var partial = ByteBuffer(bytes: expected.prefix(cut))
        #expect(
            try decoder.decode(from: &partial) == nil, "prefix of \(cut) bytes",
            sourceLocation: sourceLocation)
        #expect(partial.readableBytes == cut, sourceLocation: sourceLocation)
    }

    var decoder = frontendDecoder(for: message)
    var input = ByteBuffer(bytes: expected)
    let decoded = try #require(try decoder.decode(from: &input), sourceLocation: sourceLocation)
    #expect(decoded == message, sourceLocation: sourceLocation)
    #expect(input.readableBytes == 0, sourceLocation: sourceLocation)
}

/// A small seeded random number generator, so that "random" tests repeat exactly.
typealias SeededGenerator = SplitMix64

/// A buffer that already holds bytes, to check that a failed encode leaves them untouched.
enum ByteBufferFixture {
    static let prefilled = ByteBuffer(bytes: [0x01, 0x02, 0x03])
}
