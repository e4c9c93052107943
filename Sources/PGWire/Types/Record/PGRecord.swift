public import NIOCore

/// A composite value — a row type, `CREATE TYPE … AS (…)`, or an anonymous `ROW(…)` — read in
/// binary as its fields, each decoded on request like a row's columns.
///
/// It reads `record` (an anonymous row), and a named composite once the connection loaded that
/// type (``PGTypeRegistry`` reads it as `record`). Each field carries the OID the server sent.
///
/// ```swift
/// try await connection.loadTypes(["address"])
/// let address = try row.decode(PGRecord.self, column: "billing_address")
/// let (street, city) = try address.decode((String, String?).self)
/// ```
///
/// Reading only: a composite is sent as text with a cast (`\(text)::address`).
public struct PGRecord: PGDecodable, Hashable, Sendable {
    /// One field: its type and its bytes in binary, `nil` for NULL.
    public struct Field: Hashable, Sendable {
        /// The field's type, as the server sent it.
        public var dataType: PGDataType
        /// The field's binary bytes; `nil` is NULL.
        public var value: ByteBuffer?
    }

    /// The fields, in order.
    public var fields: [Field]

    /// The number of fields.
    public var count: Int { fields.count }

    /// Reads `record_send`'s layout: an Int32 field count, then per field its OID, an Int32
    /// length (-1 for NULL) and the bytes.
    ///
    /// - Throws: ``PGDecodingError`` for another type, a value in text format, or bytes that do
    ///   not form that layout.
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError) {
        try Self.require(type, accepts: type == .record, [.record], format)
        guard format == .binary else {
            throw Self.decodingError(.invalidValue(reason: "a record is read in binary format only"), type, format)
        }
        let count = try Self.readInteger(Int32.self, from: &buffer, type, format)
        // Each field takes at least 8 bytes: refuse counts the bytes cannot hold.
        guard count >= 0, Int(count) <= buffer.readableBytes / 8 else {
            throw Self.decodingError(.invalidValue(reason: "a record of \(count) fields in \(buffer.readableBytes) bytes"), type, format)
        }
        var fields: [Field] = []
        fields.reserveCapacity(Int(count))
        for _ in 0..<count {
            let oid = try Self.readInteger(UInt32.self, from: &buffer, type, format)
            let length = try Self.readInteger(Int32.self, from: &buffer, type, format)
            var value: ByteBuffer?
            if length != -1 {
                guard length >= 0, let bytes = buffer.readSlice(length: Int(length)) else {
                    throw Self.decodingError(.invalidLength(expected: Int(length), actual: buffer.readableBytes), type, format)
                }
                value = bytes
            }
            fields.append(Field(dataType: PGDataType(oid), value: value))
        }
        try Self.requireEnd(of: buffer, type, format)
        self.fields = fields
    }

    /// Decodes field `index` (zero-based).
    ///
    /// - Throws: ``PGDecodingError`` when there is no such field, or its value is NULL for a
    ///   non-optional `Value`, of another type, or malformed. The error's column index is the
    ///   field's.
    public func decode<Value: PGDecodable>(_: Value.Type = Value.self, at index: Int) throws(PGDecodingError) -> Value {
        guard index >= 0, index < fields.count else {
            throw Self.decodingError(.invalidValue(reason: "no field \(index); the record has \(fields.count)"), .record, .binary)
        }
        let field = fields[index]
        return try Value.decode(from: field.value, type: field.dataType, format: .binary, columnName: nil, columnIndex: index)
    }

    /// Decodes the fields, in order, into a tuple.
    ///
    /// - Throws: ``PGDecodingError`` for the first field that fails, or when the record has
    ///   fewer fields than the tuple.
    public func decode<each Value: PGDecodable>(_: (repeat each Value).Type) throws(PGDecodingError) -> (repeat each Value) {
        var index = 0
        func next<Next: PGDecodable>(_: Next.Type) throws(PGDecodingError) -> Next {
            defer { index += 1 }
            return try decode(Next.self, at: index)
        }
        return (repeat try next((each Value).self))
    }
}
