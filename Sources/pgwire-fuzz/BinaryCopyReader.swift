import NIOCore

/// A strict reader of PostgreSQL's binary COPY format, written from the documentation (COPY,
/// "Binary Format") and independent of the code under test: the 11-byte signature, a flags
/// field (bit 16: each row starts with an OID; the other critical bits 17–31 must be clear), a
/// header extension skipped by its length, then rows of an Int16 field count and Int32-length
/// fields (-1 for NULL), ended by a field count of -1.
struct BinaryCopyReader {
    // Computed, not stored: a lazily made global looks like a leak to LeakSanitizer.
    static var signature: [UInt8] { Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] }

    /// The rows read, each a list of fields (`nil` for NULL).
    var rows: [[ByteBuffer?]] = []
    /// Whether the trailer ended the data, with nothing after it.
    var isComplete = false

    /// Reads `data`, keeping the rows before the first malformed one; `nil` when the header is
    /// malformed. At most `maximumRows` rows are read.
    init?(_ data: ByteBuffer, maximumRows: Int = 64) {
        var buffer = data
        guard buffer.readBytes(length: Self.signature.count) == Self.signature,
            let flags = buffer.readInteger(as: UInt32.self), flags & 0xFFFE_0000 == 0,
            let extensionLength = buffer.readInteger(as: Int32.self), extensionLength >= 0,
            buffer.readSlice(length: Int(extensionLength)) != nil
        else { return nil }
        let hasOIDs = flags & 0x0001_0000 != 0
        while rows.count < maximumRows, let count = buffer.readInteger(as: Int16.self) {
            if count == -1 {
                isComplete = buffer.readableBytes == 0
                return
            }
            guard count >= 0, let row = Self.readFields(Int(count) + (hasOIDs ? 1 : 0), from: &buffer) else { return }
            rows.append(hasOIDs ? Array(row.dropFirst()) : row)
        }
    }

    private static func readFields(_ count: Int, from buffer: inout ByteBuffer) -> [ByteBuffer?]? {
        var fields: [ByteBuffer?] = []
        for _ in 0..<count {
            guard let length = buffer.readInteger(as: Int32.self) else { return nil }
            if length == -1 {
                fields.append(nil)
            } else {
                guard length >= 0, let field = buffer.readSlice(length: Int(length)) else { return nil }
                fields.append(field)
            }
        }
        return fields
    }
}
