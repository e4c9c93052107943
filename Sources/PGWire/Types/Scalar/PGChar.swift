public import NIOCore

/// PostgreSQL's one-byte `"char"` type (OID 18), used by the system catalogs.
///
/// It has its own Swift type rather than `UInt8`, because `[UInt8]` must not look like an array
/// of `"char"`, and `Character` would pretend to hold more than a byte. Binary is the byte; text
/// is the character for ASCII, `\ooo` (three octal digits) for bytes 128 and up, and the empty
/// string for the zero byte, as the server prints them.
///
/// ```swift
/// let kind = try PGChar.decode(from: cell, type: .char, format: .binary)   // e.g. "r"
/// kind == PGChar("r")
/// ```
public struct PGChar: RawRepresentable, Hashable, Sendable, CustomStringConvertible, PGCodable {
    /// The byte.
    public var rawValue: UInt8

    /// Wraps a byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The ASCII character `ascii`.
    public init(_ ascii: Unicode.Scalar) { self.rawValue = UInt8(truncatingIfNeeded: ascii.value) }

    public static var pgDataType: PGDataType { .char }

    /// The server's text form: the character, `\ooo` for bytes 128 and up, empty for zero.
    public var description: String {
        if rawValue == 0 { return "" }
        if rawValue >= 0x80 {
            let octal = String(rawValue, radix: 8)
            return "\\" + String(repeating: "0", count: 3 - octal.count) + octal
        }
        return String(Character(Unicode.Scalar(rawValue)))
    }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary: buffer.writeInteger(rawValue)
        case .text: buffer.writeString(description)
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .char, [.char], format)
        let bytes = Array(buffer.readableBytesView)
        buffer.moveReaderIndex(forwardBy: bytes.count)
        switch (format, bytes.count) {
        case (.binary, 1), (.text, 1):
            rawValue = bytes[0]
        case (.text, 0):
            rawValue = 0
        case (.text, 4) where bytes[0] == UInt8(ascii: "\\"):
            var value: UInt32 = 0
            for digit in bytes[1...] {
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else {
                    throw Self.decodingError(
                        .invalidValue(reason: "bad octal escape"), type, format)
                }
                value = value * 8 + UInt32(digit - UInt8(ascii: "0"))
            }
            guard let byte = UInt8(exactly: value) else {
                throw Self.decodingError(
                    .invalidValue(reason: "octal escape above 255"), type, format)
            }
            rawValue = byte
        default:
            throw Self.decodingError(.invalidLength(expected: 1, actual: bytes.count), type, format)
        }
    }
}
