import NIOCore

extension ByteBuffer {
    /// Writes one framed message: the type byte, an Int32 length that counts itself and the
    /// body, and the body that `writeBody` writes. The length is patched in after the body, so the
    /// body is written once, straight into this buffer. If the body throws, the buffer is left as
    /// it was: a half-written message never reaches the wire.
    mutating func writePGMessage(
        type: UInt8, _ writeBody: (inout ByteBuffer) throws(PGWireError) -> Void
    ) throws(PGWireError) {
        let start = writerIndex
        writeInteger(type)
        do {
            try writeLengthPrefixedBody(writeBody)
        } catch {
            moveWriterIndex(to: start)
            throw error
        }
    }

    /// Writes an Int32 length that counts itself, then the body, patching the length afterwards.
    /// Startup-family messages are framed this way, without a type byte.
    mutating func writeLengthPrefixedBody(
        _ writeBody: (inout ByteBuffer) throws(PGWireError) -> Void
    ) throws(PGWireError) {
        let lengthIndex = writerIndex
        writeInteger(Int32(0))
        do {
            try writeBody(&self)
        } catch {
            moveWriterIndex(to: lengthIndex)
            throw error
        }
        let length = writerIndex - lengthIndex
        guard length <= Int(Int32.max) else {
            moveWriterIndex(to: lengthIndex)
            throw PGWireError(.messageTooLarge(length: length, maximum: Int(Int32.max)), message: "message")
        }
        setInteger(Int32(length), at: lengthIndex)
    }

    /// Writes a string followed by a NUL terminator.
    ///
    /// - Throws: ``PGWireError`` `invalidValue` when the string contains a NUL byte: the server
    ///   would read the string as ending there and silently run or name something else.
    mutating func writeCString(_ string: String, message: String, field: String) throws(PGWireError) {
        if string.containsNUL {
            throw PGWireError(.invalidValue("a string containing a NUL byte"), message: message, field: field)
        }
        writeString(string)
        writeInteger(UInt8(0))
    }
}
