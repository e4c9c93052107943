import NIOCore

/// Reads the fields of one message body, bounds-checking every read.
///
/// Each read names the field it is for, so that a short or malformed body becomes a
/// ``PGWireError`` that says which message and field were wrong. Nothing is reserved from a
/// declared count before the bytes for it are known to be present.
struct MessageReader {
    /// The unread rest of the message body.
    private(set) var buffer: ByteBuffer
    /// The protocol name of the message, for errors.
    let message: String

    init(body: ByteBuffer, message: String) {
        self.buffer = body
        self.message = message
    }

    var remaining: Int { buffer.readableBytes }

    func error(_ kind: PGWireError.Kind, _ field: String? = nil) -> PGWireError {
        PGWireError(kind, message: message, field: field)
    }

    mutating func readUInt8(_ field: String) throws(PGWireError) -> UInt8 {
        guard let value = buffer.readInteger(as: UInt8.self) else { throw error(.fieldOverrun, field) }
        return value
    }

    mutating func readInt16(_ field: String) throws(PGWireError) -> Int16 {
        guard let value = buffer.readInteger(as: Int16.self) else { throw error(.fieldOverrun, field) }
        return value
    }

    mutating func readInt32(_ field: String) throws(PGWireError) -> Int32 {
        guard let value = buffer.readInteger(as: Int32.self) else { throw error(.fieldOverrun, field) }
        return value
    }

    mutating func readUInt32(_ field: String) throws(PGWireError) -> UInt32 {
        guard let value = buffer.readInteger(as: UInt32.self) else { throw error(.fieldOverrun, field) }
        return value
    }

    /// Reads a count that must not be negative (Int16 on the wire).
    mutating func readCount16(_ field: String) throws(PGWireError) -> Int {
        let count = try readInt16(field)
        guard count >= 0 else { throw error(.invalidValue("negative count \(count)"), field) }
        return Int(count)
    }

    /// Reads a NUL-terminated string as UTF-8 (invalid sequences are repaired, never trusted).
    mutating func readCString(_ field: String) throws(PGWireError) -> String {
        guard let length = buffer.withUnsafeReadableBytes({ NULSearch.offset(in: $0) }) else {
            throw error(.missingTerminator, field)
        }
        let string = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        return string
    }

    /// Reads `count` bytes as a slice of the message, sharing its storage.
    mutating func readSlice(_ count: Int, _ field: String) throws(PGWireError) -> ByteBuffer {
        guard count >= 0, let slice = buffer.readSlice(length: count) else {
            throw error(.fieldOverrun, field)
        }
        return slice
    }

    /// Reads the rest of the message as a slice.
    mutating func readRest() -> ByteBuffer {
        buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
    }

    /// Reads a value that is an Int32 length (-1 for none) followed by that many bytes.
    mutating func readLengthPrefixed(_ field: String) throws(PGWireError) -> ByteBuffer? {
        let length = try readInt32(field)
        if length == -1 { return nil }
        guard length >= 0 else { throw error(.invalidValue("length \(length)"), field) }
        return try readSlice(Int(length), field)
    }

    /// Checks that `count` items of at least `minimumSize` bytes each can still be present, so
    /// that a hostile count never makes us reserve memory.
    func checkCount(_ count: Int, minimumSize: Int, _ field: String) throws(PGWireError) {
        guard count <= remaining / max(minimumSize, 1) else { throw error(.fieldOverrun, field) }
    }

    /// Ends the read: any byte left over is a protocol violation.
    func finish() throws(PGWireError) {
        guard buffer.readableBytes == 0 else { throw error(.trailingBytes(buffer.readableBytes)) }
    }
}
