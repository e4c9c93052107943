public import NIOCore

/// `Bool` is `bool`: one byte 0 or 1 in binary, `t` or `f` in text.
extension Bool: PGCodable {
    public static var pgDataType: PGDataType { .bool }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary: buffer.writeInteger(wire)
        case .text: buffer.writeStaticString(self ? "t" : "f")
        }
    }

    /// Binary: the length and the byte in one write.
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard format == .binary else { return try encodeMeasuringLength(into: &buffer, format: format) }
        buffer.writeLengthPrefixed(wire)
    }

    /// The length and the byte, kept inline.
    public func encodeInline(into values: inout PGSmallValues) -> Bool {
        values.append(lengthPrefixed: wire)
    }

    /// The byte sent in binary.
    private var wire: UInt8 { self ? 1 : 0 }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .bool, [.bool], format)
        switch format {
        case .binary:
            switch try Self.readExactly(UInt8.self, from: &buffer, type, format) {
            case 0: self = false
            case 1: self = true
            case let byte:
                throw Self.decodingError(
                    .invalidValue(reason: "bool byte \(byte) is not 0 or 1"), type, format)
            }
        case .text:
            // The server prints t/f; the longer spellings are what it accepts as input.
            switch try Self.readText(from: &buffer, type, format) {
            case "t", "true": self = true
            case "f", "false": self = false
            case let text:
                throw Self.decodingError(
                    .invalidValue(reason: "\"\(text)\" is not a bool"), type, format)
            }
        }
    }
}
