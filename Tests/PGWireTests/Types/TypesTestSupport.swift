import NIOCore
import Testing

@testable import PGWire

/// Bytes from a hex string such as `"0001ffff"` (whitespace ignored); empty on bad input, which
/// the tests' own byte comparisons then catch.
func bytes(hex: String) -> ByteBuffer {
    let digits = Array(hex.utf8.filter { $0 != UInt8(ascii: " ") })
    var buffer = ByteBuffer()
    var index = 0
    while index + 1 < digits.count {
        let pair = String(decoding: digits[index...(index + 1)], as: UTF8.self)
        buffer.writeInteger(UInt8(pair, radix: 16) ?? 0)
        index += 2
    }
    return buffer
}

/// The readable bytes as lowercase hex.
func hex(_ buffer: ByteBuffer) -> String {
    buffer.readableBytesView.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined()
}

/// The value's bytes in `format`.
func encoded<Value: PGEncodable>(_ value: Value, _ format: PGFormat) throws -> ByteBuffer {
    var buffer = ByteBuffer()
    try value.encode(into: &buffer, format: format)
    return buffer
}

/// The value's text-format bytes as a string.
func encodedText<Value: PGEncodable>(_ value: Value) throws -> String {
    String(buffer: try encoded(value, .text))
}

/// Decodes `buffer` as a non-NULL value.
func decoded<Value: PGDecodable>(
    _: Value.Type, _ buffer: ByteBuffer, _ type: PGDataType, _ format: PGFormat
) throws(PGDecodingError) -> Value {
    try Value.decode(from: buffer, type: type, format: format, columnName: "c", columnIndex: 0)
}

/// Decodes text-format `text`.
func decoded<Value: PGDecodable>(_: Value.Type, text: String, _ type: PGDataType)
    throws(PGDecodingError) -> Value
{
    try decoded(Value.self, ByteBuffer(string: text), type, .text)
}

/// The kind of the decoding error `body` throws, or `nil` when it throws nothing or another error.
func decodingErrorKind(_ body: () throws -> Void) -> PGDecodingError.Kind? {
    do {
        try body()
        return nil
    } catch {
        return (error as? PGDecodingError)?.kind
    }
}

/// Whether an error kind is `invalidValue`, whatever the reason.
func isInvalidValue(_ kind: PGDecodingError.Kind?) -> Bool {
    if case .invalidValue = kind { return true }
    return false
}

/// Whether an error kind is `invalidLength`, whatever the sizes.
func isInvalidLength(_ kind: PGDecodingError.Kind?) -> Bool {
    if case .invalidLength = kind { return true }
    return false
}

/// Checks a value captured from the server, as its text output and its `*send` bytes: the binary
/// decodes and re-encodes to the same bytes, the text decodes to the same value (compared by its
/// binary encoding, so NaN works), and, when `textIsCanonical`, the value encodes to that text.
func expectServerFixture<Value: PGCodable>(
    _: Value.Type, _ type: PGDataType, text: String, binary: String, textIsCanonical: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let fromBinary = try decoded(Value.self, bytes(hex: binary), type, .binary)
    #expect(hex(try encoded(fromBinary, .binary)) == binary, sourceLocation: sourceLocation)
    let fromText = try decoded(Value.self, text: text, type)
    #expect(hex(try encoded(fromText, .binary)) == binary, sourceLocation: sourceLocation)
    if textIsCanonical {
        #expect(try encodedText(fromBinary) == text, sourceLocation: sourceLocation)
    }
    var framed = ByteBuffer()
    try fromBinary.encodeWithLength(into: &framed, format: .binary)
    #expect(
        framed.readInteger(as: Int32.self) == Int32(binary.count / 2),
        sourceLocation: sourceLocation)
}
