public import NIOCore
public import PGWire

/// One row for a binary `COPY … FROM STDIN`, its values encoded by the same codecs as query
/// parameters.
///
/// ```swift
/// let row = try PGCopyRow(userID, amount, "coffee", Date())
/// ```
public struct PGCopyRow: Sendable {
    /// The row in COPY's binary format: the field count, then each field with its length.
    let bytes: ByteBuffer

    /// Encodes the values of one row, in column order (`nil` optionals become NULL).
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` when a value cannot be encoded.
    public init<each Value: PGEncodable>(_ values: repeat each Value) throws(PGError) {
        var bytes = ByteBuffer()
        try Self.write(repeat each values, into: &bytes)
        self.bytes = bytes
    }

    /// Writes one row's field count and fields into `buffer`, leaving it unchanged on failure.
    @inlinable
    package static func write<each Value: PGEncodable>(_ values: repeat each Value, into buffer: inout ByteBuffer) throws(PGError) {
        let start = buffer.writerIndex
        // The field count first (known from the values' types), so that it is not set afterwards.
        var fields: Int16 = 0
        for _ in repeat each values { fields += 1 }
        buffer.writeInteger(fields)
        var count: Int16 = 0
        do {
            for value in repeat each values {
                try value.encodeWithLength(into: &buffer)
                count += 1
            }
        } catch {
            buffer.moveWriterIndex(to: start)
            throw PGError(.encoding, message: "COPY field \(count + 1): \(error)", requestWasSent: false)
        }
    }

    /// Writes the row in COPY's binary format.
    func write(into buffer: inout ByteBuffer) {
        buffer.writeImmutableBuffer(bytes)
    }

    /// The 19 bytes that start binary COPY data: signature, flags, header-extension length.
    package static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The field count -1 that ends binary COPY data.
    package static let trailer: [UInt8] = [0xFF, 0xFF]
}
