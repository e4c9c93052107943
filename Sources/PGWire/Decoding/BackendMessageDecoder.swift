public import NIOCore

/// Splits the server's byte stream into ``BackendMessage`` values.
///
/// The decoder is incremental: feed it bytes in pieces of any size, and it returns each message
/// once all of its bytes are there. It never trusts a length: a length below 4 or above
/// ``maximumMessageSize`` and an unknown type byte are errors as soon as the 5-byte header has
/// arrived, before any body bytes are awaited, and nothing is reserved from a declared length.
///
/// ```swift
/// var decoder = BackendMessageDecoder()
/// decoder.append(chunk)                  // any number of bytes
/// while let message = try decoder.next() {
///     handle(message)
/// }
/// ```
///
/// After it throws, the stream is out of step and the connection must be closed.
public struct BackendMessageDecoder: Sendable {
    /// The largest message accepted, counting the length field: 1 GiB unless set otherwise.
    public var maximumMessageSize: Int

    /// The default for ``maximumMessageSize``: 1 GiB, the largest field value PostgreSQL sends.
    public static let defaultMaximumMessageSize = 1 << 30

    /// Bytes received but not yet decoded, for callers that use ``append(_:)`` and ``next()``.
    private var pending = ByteBuffer()

    /// Creates a decoder.
    public init(maximumMessageSize: Int = BackendMessageDecoder.defaultMaximumMessageSize) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// Adds received bytes to the decoder's own buffer.
    public mutating func append(_ bytes: ByteBuffer) {
        if pending.readableBytes == 0, bytes.capacity <= 2 * bytes.readableBytes + 4096 {
            pending = bytes
            return
        }
        // Decoded rows keep slices of the buffer they were read from alive. Appending to the
        // previous buffer (which rows may share) copied it at its full, growing capacity, and a
        // short read into a large receive buffer pins all of it: a result of 20,000 rows of 1 kB,
        // collected, held 400 MB. The bytes go into a buffer of their size instead.
        var combined = ByteBuffer()
        combined.reserveCapacity(pending.readableBytes + bytes.readableBytes)
        combined.writeImmutableBuffer(pending)
        combined.writeImmutableBuffer(bytes)
        pending = combined
    }

    /// The number of received bytes not yet decoded into a message.
    public var bufferedByteCount: Int { pending.readableBytes }

    /// Decodes the next message from the decoder's own buffer.
    ///
    /// - Returns: the message, or `nil` when its bytes have not all arrived yet.
    /// - Throws: ``PGWireError`` when the bytes break the protocol.
    public mutating func next() throws(PGWireError) -> BackendMessage? {
        let message = try decode(from: &pending)
        compactPending()
        return message
    }

    /// Decodes the next message from the decoder's own buffer when it is a complete, valid
    /// DataRow: the bulk of a result's messages, read without building a ``BackendMessage``.
    ///
    /// - Returns: the row; `nil`, consuming nothing, when the next message is anything else,
    ///   has not all arrived, or is malformed (``next()`` then decodes it, or throws).
    public mutating func nextDataRow() -> BackendMessage.DataRow? {
        let maximum = maximumMessageSize
        // Header, column count and every column's framing, checked through one pointer.
        let frame: (length: Int, count: Int)? = pending.withUnsafeReadableBytes { raw in
            guard raw.count >= 7 else { return nil }
            let header = MessageHeader(raw)
            let length = Int(header.length)
            guard header.type == BackendMessageKind.dataRow.rawValue, length >= 6, length <= maximum,
                raw.count > length
            else { return nil }
            let count = Int(Int16(bigEndian: raw.loadUnaligned(fromByteOffset: 5, as: Int16.self)))
            let columns = UnsafeRawBufferPointer(rebasing: raw[7..<(1 + length)])
            guard count >= 0, BackendMessage.DataRow.columnsFailure(count, in: columns) == nil else {
                return nil
            }
            return (length, count)
        }
        guard let frame, let bytes = pending.getSlice(at: pending.readerIndex + 7, length: frame.length - 6)
        else { return nil }
        pending.moveReaderIndex(forwardBy: 1 + frame.length)
        compactPending()
        return BackendMessage.DataRow(validatedColumnCount: frame.count, bytes: bytes)
    }

    private mutating func compactPending() {
        if pending.readableBytes == 0, pending.capacity > 64 * 1024 {
            pending = ByteBuffer()  // give back the memory a large message needed
        } else if pending.readerIndex > 32 * 1024 {
            // Not `discardReadBytes()`: while decoded rows share the buffer, that copies it at its
            // full capacity, again every 32 KiB, and each copy stays pinned by the rows decoded
            // from it (a collected result of 20 MB held 280 MB).
            var rest = ByteBuffer()
            rest.reserveCapacity(pending.readableBytes)
            rest.writeImmutableBuffer(pending)
            pending = rest
        }
    }

    /// Decodes the next message from `buffer`, consuming its bytes only when it is complete.
    ///
    /// - Returns: the message, or `nil` (with `buffer` untouched) when it is not complete yet.
    /// - Throws: ``PGWireError`` when the bytes break the protocol.
    public func decode(from buffer: inout ByteBuffer) throws(PGWireError) -> BackendMessage? {
        let maximum = maximumMessageSize
        // The header, and the two messages that end every statement read through the same
        // pointer: no slice of the buffer and no reader for them.
        let peeked: (header: MessageHeader, message: BackendMessage?)? = buffer.withUnsafeReadableBytes { raw in
            guard raw.count >= 5 else { return nil }
            let header = MessageHeader(raw)
            let end = 1 + Int(header.length)
            guard header.length >= 4, Int(header.length) <= maximum, raw.count >= end else { return (header, nil) }
            return (header, Self.decodeInPlace(type: header.type, body: UnsafeRawBufferPointer(rebasing: raw[5..<end])))
        }
        guard let peeked else { return nil }
        let header = peeked.header
        if let message = peeked.message {
            buffer.moveReaderIndex(forwardBy: 1 + Int(header.length))
            return message
        }
        let (type, length) = (header.type, header.length)
        guard let kind = BackendMessageKind(typeByte: type) else {
            throw PGWireError(.unknownMessageType(type), message: "BackendMessage")
        }
        guard length >= 4 else {
            throw PGWireError(.lengthTooSmall(Int(length)), message: kind.name)
        }
        guard Int(length) <= maximumMessageSize else {
            throw PGWireError(
                .messageTooLarge(length: Int(length), maximum: maximumMessageSize), message: kind.name)
        }
        guard buffer.readableBytes >= 1 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        // BindComplete, ParseComplete, …: nothing to read, so no slice and no reader.
        if length == 4, let message = kind.withoutBody { return message }
        // The length was checked above, so the slice exists.
        let body = buffer.readSlice(length: Int(length) - 4) ?? ByteBuffer()
        var reader = MessageReader(body: body, message: kind.name)
        let message = try kind.decode(from: &reader)
        try reader.finish()
        return message
    }

    /// ReadyForQuery and CommandComplete in their valid form, read from `body`; `nil` for any
    /// other message, or a body that is not valid (the reader then decodes it, or throws).
    private static func decodeInPlace(type: UInt8, body: UnsafeRawBufferPointer) -> BackendMessage? {
        switch type {
        case BackendMessageKind.readyForQuery.rawValue:
            guard body.count == 1, let status = BackendMessage.TransactionStatus(rawValue: body[0]) else { return nil }
            return .readyForQuery(.init(transactionStatus: status))
        case BackendMessageKind.commandComplete.rawValue:
            // One C string filling the body: its only NUL is the last byte.
            guard let terminator = NULSearch.offset(in: body), terminator == body.count - 1 else { return nil }
            return .commandComplete(.init(tag: String(decoding: body[..<terminator], as: UTF8.self)))
        default:
            return nil
        }
    }
}
