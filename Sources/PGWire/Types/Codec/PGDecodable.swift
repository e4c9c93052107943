public import NIOCore

/// A Swift type that can be made from a PostgreSQL value in binary or text format.
///
/// ``init(from:type:format:)`` reads one non-NULL value; the static
/// ``decode(from:type:format:columnName:columnIndex:)`` is the entry point a row uses: it maps SQL
/// NULL (a `nil` buffer) to `nil` for `Optional` and to ``PGDecodingError/Kind/unexpectedNull``
/// for everything else, and fills in the column the error is about. No byte input makes a decoder
/// trap: every fault is a ``PGDecodingError``.
///
/// ```swift
/// let id = try Int64.decode(from: cell, type: .int8, format: .binary,
///                           columnName: "id", columnIndex: 0)
/// let note = try String?.decode(from: nil, type: .text, format: .text)   // nil
/// ```
public protocol PGDecodable: Sendable {
    /// Reads a non-NULL value of PostgreSQL type `type` sent in `format`, consuming all of `buffer`.
    ///
    /// - Throws: ``PGDecodingError`` when `type` is not one this Swift type accepts or when the
    ///   bytes do not form a valid value. The error's column fields are left empty.
    init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError)

    /// Decodes a column value; `buffer` is `nil` for SQL NULL.
    ///
    /// - Throws: ``PGDecodingError`` naming `columnName` and `columnIndex`, including
    ///   ``PGDecodingError/Kind/unexpectedNull`` when the value is NULL and `Self` is not optional.
    static func decode(
        from buffer: ByteBuffer?, type: PGDataType, format: PGFormat,
        columnName: String?, columnIndex: Int?
    ) throws(PGDecodingError) -> Self
}

/// A type that can be both sent to and read from PostgreSQL.
public typealias PGCodable = PGDecodable & PGEncodable

extension PGDecodable {
    /// Decodes a value that does not come from a row; `buffer` is `nil` for SQL NULL.
    ///
    /// - Throws: ``PGDecodingError``, including ``PGDecodingError/Kind/unexpectedNull`` when the
    ///   value is NULL and `Self` is not optional.
    public static func decode(from buffer: ByteBuffer?, type: PGDataType, format: PGFormat)
        throws(PGDecodingError) -> Self
    {
        // Spelled out in full so that Optional's own implementation is the one called.
        try decode(from: buffer, type: type, format: format, columnName: nil, columnIndex: nil)
    }

    public static func decode(
        from buffer: ByteBuffer?, type: PGDataType, format: PGFormat,
        columnName: String?, columnIndex: Int?
    ) throws(PGDecodingError) -> Self {
        try decodeLocated(from: buffer, type: type, format: format, columnName: columnName, columnIndex: columnIndex)
    }

    /// ``decode(from:type:format:columnName:columnIndex:)`` as every type has it: a type with a
    /// faster path of its own falls back to this.
    static func decodeLocated(
        from buffer: ByteBuffer?, type: PGDataType, format: PGFormat,
        columnName: String?, columnIndex: Int?
    ) throws(PGDecodingError) -> Self {
        guard var buffer else {
            throw PGDecodingError(
                .unexpectedNull, dataType: type, format: format, swiftType: "\(Self.self)",
                columnName: columnName, columnIndex: columnIndex)
        }
        do throws(PGDecodingError) {
            return try Self(from: &buffer, type: type, format: format)
        } catch {
            var located = error
            located.columnName = columnName
            located.columnIndex = columnIndex
            throw located
        }
    }

    /// A decoding error about a value of `type` in `format` that could not become `Self`.
    static func decodingError(_ kind: PGDecodingError.Kind, _ type: PGDataType, _ format: PGFormat)
        -> PGDecodingError
    {
        PGDecodingError(kind, dataType: type, format: format, swiftType: "\(Self.self)")
    }

    /// Throws a type mismatch unless `type` is one of `accepted`.
    /// Throws a type mismatch unless `accepted` (the check, written out at the call site so
    /// that the hot path builds no array) holds; `expected` lists the types for the error.
    @inline(__always)
    static func require(
        _ type: PGDataType, accepts accepted: Bool, _ expected: @autoclosure () -> [PGDataType],
        _ format: PGFormat
    ) throws(PGDecodingError) {
        guard accepted else {
            throw decodingError(.typeMismatch(expected: expected(), actual: type), type, format)
        }
    }

    /// Throws ``PGDecodingError/Kind/unknownType(_:)`` for a binary value of a type created in
    /// the database (OID 16384 and up), whose binary form no built-in decoder knows.
    @inline(__always)
    static func requireKnown(_ type: PGDataType, _ format: PGFormat) throws(PGDecodingError) {
        guard format == .text || !type.isUserDefined else {
            throw decodingError(.unknownType(type), type, format)
        }
    }

    /// Reads a big-endian integer that must be all of the remaining bytes.
    static func readExactly<Integer: FixedWidthInteger>(
        _: Integer.Type, from buffer: inout ByteBuffer, _ type: PGDataType, _ format: PGFormat
    ) throws(PGDecodingError) -> Integer {
        let size = MemoryLayout<Integer>.size
        guard buffer.readableBytes == size, let value = buffer.readInteger(as: Integer.self) else {
            throw decodingError(
                .invalidLength(expected: size, actual: buffer.readableBytes), type, format)
        }
        return value
    }

    /// Reads a big-endian integer from a variable-size value, failing if the value is too short.
    static func readInteger<Integer: FixedWidthInteger>(
        _: Integer.Type, from buffer: inout ByteBuffer, _ type: PGDataType, _ format: PGFormat
    ) throws(PGDecodingError) -> Integer {
        guard let value = buffer.readInteger(as: Integer.self) else {
            let size = MemoryLayout<Integer>.size
            throw decodingError(
                .invalidLength(expected: size, actual: buffer.readableBytes), type, format)
        }
        return value
    }

    /// Reads all remaining bytes as UTF-8 text.
    static func readText(from buffer: inout ByteBuffer, _ type: PGDataType, _ format: PGFormat)
        throws(PGDecodingError) -> String
    {
        let text: String? = buffer.withUnsafeReadableBytes { bytes in
            // ASCII without NUL (bytes 1...0x7F, one comparison: 0 wraps around), the common
            // case, is valid UTF-8 as it is, so decoding it repairs nothing; and it skips the
            // generic validating initializer, which looked up type metadata for every value.
            if bytes.allSatisfy({ $0 &- 1 < 0x7F }) { return String(decoding: bytes, as: UTF8.self) }
            // No PostgreSQL text holds NUL, and `encode` refuses it: found by the `copy` fuzz
            // entry (`Fixtures/fuzz/copy/text-nul.bin`), a value read could not be written back.
            if bytes.contains(0) { return nil }
            return String(validating: bytes, as: UTF8.self)
        }
        guard let text else {
            let reason =
                buffer.readableBytesView.contains(0)
                ? "the text contains the NUL character, which no PostgreSQL text can"
                : "the text is not valid UTF-8"
            throw decodingError(.invalidValue(reason: reason), type, format)
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return text
    }

    /// Fails unless every byte of the value was read.
    static func requireEnd(of buffer: ByteBuffer, _ type: PGDataType, _ format: PGFormat)
        throws(PGDecodingError)
    {
        guard buffer.readableBytes == 0 else {
            throw decodingError(
                .invalidValue(reason: "\(buffer.readableBytes) unexpected bytes after the value"),
                type, format)
        }
    }
}
