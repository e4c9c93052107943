public import NIOCore

/// `nil` is SQL NULL: it encodes as the length -1 and a NULL value decodes as `nil`.
///
/// ```swift
/// let nickname = try String?.decode(from: nil, type: .text, format: .text)   // nil
/// try Optional<Int64>.none.encodeWithLength(into: &buffer)               // ff ff ff ff
/// ```
extension Optional: PGEncodable where Wrapped: PGEncodable {
    public static var pgDataType: PGDataType { Wrapped.pgDataType }
    public static var pgFormat: PGFormat { Wrapped.pgFormat }

    /// Writes the wrapped value's bytes.
    ///
    /// - Throws: ``PGEncodingError`` for `nil`, which has no value bytes: send it with
    ///   ``PGEncodable/encodeWithLength(into:format:)``, which writes the NULL length.
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard let self else {
            throw encodingError("NULL has no value bytes; write it with encodeWithLength")
        }
        try self.encode(into: &buffer, format: format)
    }

    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat)
        throws(PGEncodingError)
    {
        guard let self else {
            buffer.writeInteger(Int32(-1))
            return
        }
        try self.encodeWithLength(into: &buffer, format: format)
    }

    /// NULL (the length -1), or the wrapped value, kept inline when it fits.
    public func encodeInline(into values: inout PGSmallValues) -> Bool {
        guard let self else { return values.appendNull() }
        return self.encodeInline(into: &values)
    }
}

extension Optional: PGDecodable where Wrapped: PGDecodable {
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        self = .some(try Wrapped(from: &buffer, type: type, format: format))
    }

    public static func decode(
        from buffer: ByteBuffer?, type: PGDataType, format: PGFormat,
        columnName: String?, columnIndex: Int?
    ) throws(PGDecodingError) -> Self {
        guard let buffer else { return nil }
        return try Wrapped.decode(
            from: buffer, type: type, format: format, columnName: columnName,
            columnIndex: columnIndex)
    }
}
