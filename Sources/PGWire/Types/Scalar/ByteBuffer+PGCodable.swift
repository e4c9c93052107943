public import NIOCore

/// `ByteBuffer` is `bytea`: the raw bytes in binary, the `\x` hex form in text.
///
/// `[UInt8]` cannot be `bytea` as well, because `Array` already means a PostgreSQL array; use a
/// `ByteBuffer` for binary data. Text decoding reads both the hex form
/// the server prints by default and the older escape form (`bytea_output = escape`).
///
/// ```swift
/// let blob = try ByteBuffer.decode(from: cell, type: .bytea, format: .binary)
/// ```
extension ByteBuffer: PGCodable {
    public static var pgDataType: PGDataType { .bytea }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary: buffer.writeImmutableBuffer(self)
        case .text: PGBytea.writeHex(readableBytesView, into: &buffer)
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .bytea, [.bytea], format)
        switch format {
        case .binary:
            self = buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
        case .text:
            let text = buffer.readableBytesView
            buffer.moveReaderIndex(forwardBy: text.count)
            guard let bytes = PGBytea.parseText(text) else {
                throw Self.decodingError(
                    .invalidValue(reason: "malformed bytea text"), type, format)
            }
            self = ByteBuffer(bytes: bytes)
        }
    }
}

/// The text forms of `bytea`: hex (`\x0102ff`) and escape (`a\000\\b`).
enum PGBytea {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes `\x` and two lowercase hex digits per byte: the form the server accepts and prints.
    static func writeHex(_ bytes: ByteBufferView, into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: 2 + 2 * bytes.count)
        buffer.writeStaticString("\\x")
        for byte in bytes {
            buffer.writeInteger(hexDigits[Int(byte >> 4)])
            buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Parses the hex or escape text form; `nil` when it is malformed.
    static func parseText(_ text: ByteBufferView) -> [UInt8]? {
        let bytes = Array(text)
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x") {
            return parseHex(bytes[2...])
        }
        return parseEscape(bytes)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
            || byte == UInt8(ascii: "\r")
    }

    private static func parseHex(_ digits: ArraySlice<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(digits.count / 2)
        var high: UInt8? = nil
        for digit in digits {
            // The server's input skips whitespace between pairs of digits.
            if high == nil, isSpace(digit) { continue }
            guard let value = hexValue(digit) else { return nil }
            if let first = high {
                result.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return high == nil ? result : nil
    }

    private static func parseEscape(_ bytes: [UInt8]) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                index += 1
                continue
            }
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") {
                result.append(byte)
                index += 2
                continue
            }
            guard index + 3 < bytes.count else { return nil }
            var value: UInt32 = 0
            for digit in bytes[(index + 1)...(index + 3)] {
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
                value = value * 8 + UInt32(digit - UInt8(ascii: "0"))
            }
            guard let decoded = UInt8(exactly: value) else { return nil }
            result.append(decoded)
            index += 4
        }
        return result
    }
}
