import NIOCore
public import PGWire

/// One row for a binary `COPY … FROM STDIN`, its values encoded by the same codecs as query
/// parameters.
///
/// ```swift
/// let row = try PGCopyRow(userID, amount, "coffee", Date())
/// ```
public struct PGCopyRow: Sendable {
    /// The values, each with its length prefix.
    let values: PGBindings

    /// Encodes the values of one row, in column order (`nil` optionals become NULL).
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` when a value cannot be encoded.
    public init<each Value: PGEncodable>(_ values: repeat each Value) throws(PGError) {
        var bindings = PGBindings()
        for value in repeat each values {
            try bindings.append(value)
        }
        self.values = bindings
    }

    /// Writes the row in COPY's binary format: the field count, then each field.
    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int16(truncatingIfNeeded: values.count))
        buffer.writeImmutableBuffer(values.bytes)
    }

    /// The 19 bytes that start binary COPY data: signature, flags, header-extension length.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The field count -1 that ends binary COPY data.
    static let trailer: [UInt8] = [0xFF, 0xFF]
}
