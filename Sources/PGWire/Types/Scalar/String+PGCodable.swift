public import NIOCore

/// `String` is `text`, and reads any value sent in text format.
///
/// In binary it reads the character types (`text`, `varchar`, `bpchar`, `name`), `json`, `jsonb`
/// (dropping its version byte) and `unknown`; an enum reads as its label once the connection
/// loaded the enum type (``PGTypeRegistry``). Any other type created in the database (OID 16384
/// and up) fails in binary with ``PGDecodingError/Kind/unknownType(_:)``: its bytes are never
/// taken for text. In text format it reads every type: the string is what the server printed. Encoding fails for a string holding the NUL character,
/// which no PostgreSQL text value can contain.
///
/// ```swift
/// let label = try String.decode(from: cell, type: PGDataType(16_402), format: .text)
/// ```
extension String: PGCodable {
    public static var pgDataType: PGDataType { .text }

    /// The types read in binary format besides user-defined ones.
    static let binaryTextTypes: [PGDataType] = [
        .text, .varchar, .bpchar, .name, .json, .jsonb, .unknown,
    ]

    /// PostgreSQL's `FirstNormalObjectId`: OIDs from here on were created in the database.
    static let firstUserOID: UInt32 = PGDataType.firstUserOID

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try requireNoNUL()
        buffer.writeString(self)
    }

    /// Writes the length from the string's UTF-8 count, then the text: no placeholder to set
    /// afterwards.
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try requireNoNUL()
        let length = utf8.count
        guard Int32(exactly: length) != nil else { throw lengthLimitError(length) }
        var text = self
        text.withUTF8 { buffer.writeLengthPrefixed(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The length and the text, kept inline when they fit; text holding NUL is left to
    /// ``encodeWithLength(into:format:)``, which reports it.
    public func encodeInline(into values: inout PGSmallValues) -> Bool {
        guard utf8.count <= PGSmallValues.capacity - 4, !containsNUL else { return false }
        var text = self
        return text.withUTF8 { values.append(lengthPrefixedBytes: UnsafeRawBufferPointer($0)) }
    }

    /// Throws for text holding the NUL character, which no PostgreSQL text value can contain.
    private func requireNoNUL() throws(PGEncodingError) {
        guard !containsNUL else {
            throw encodingError("text cannot contain the NUL character")
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        if format == .binary {
            try Self.requireKnown(type, format)
            try Self.require(type, accepts: Self.binaryTextTypes.contains(type), Self.binaryTextTypes, format)
            if type == .jsonb {
                try PGJSON.readJSONBVersion(from: &buffer, type, format, for: Self.self)
            }
        }
        self = try Self.readText(from: &buffer, type, format)
    }
}
