public import NIOCore

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// `UUID` is `uuid`: 16 bytes in binary, the lowercase hyphenated form in text.
///
/// ```swift
/// let id = try UUID.decode(from: cell, type: .uuid, format: .binary)
/// ```
extension UUID: PGCodable {
    public static var pgDataType: PGDataType { .uuid }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary:
            _ = withUnsafeBytes(of: uuid) { buffer.writeBytes($0) }
        case .text:
            buffer.writeString(uuidString.lowercased())
        }
    }

    /// Binary: the length and the 16 bytes in one write.
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard format == .binary else { return try encodeMeasuringLength(into: &buffer, format: format) }
        withUnsafeBytes(of: uuid) { buffer.writeLengthPrefixed(bytes: $0) }
    }

    /// The length and the 16 bytes, kept inline when they fit.
    public func encodeInline(into values: inout PGSmallValues) -> Bool {
        withUnsafeBytes(of: uuid) { values.append(lengthPrefixedBytes: $0) }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .uuid, [.uuid], format)
        switch format {
        case .binary:
            guard buffer.readableBytes == 16, let bytes = buffer.readBytes(length: 16) else {
                throw Self.decodingError(
                    .invalidLength(expected: 16, actual: buffer.readableBytes), type, format)
            }
            self = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14],
                    bytes[15]
                ))
        case .text:
            let text = try Self.readText(from: &buffer, type, format)
            guard let uuid = UUID(uuidString: text) else {
                throw Self.decodingError(
                    .invalidValue(reason: "\"\(text)\" is not a UUID"), type, format)
            }
            self = uuid
        }
    }
}
