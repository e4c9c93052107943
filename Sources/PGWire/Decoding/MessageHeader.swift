import NIOCore

/// The five bytes that begin every typed protocol message: its type byte and its length (which
/// counts itself but not the type byte).
struct MessageHeader {
    let type: UInt8
    let length: Int32

    /// The header at `buffer`'s reader index, read through one pointer (each of `ByteBuffer`'s
    /// own reads checks exclusive access to its storage once); `nil` when fewer than five bytes
    /// are readable.
    init?(peekingAt buffer: ByteBuffer) {
        guard let header = buffer.withUnsafeReadableBytes({ raw -> MessageHeader? in
            guard raw.count >= 5 else { return nil }
            return MessageHeader(raw)
        }) else { return nil }
        self = header
    }

    /// The header at the start of `raw`, which holds at least five bytes.
    init(_ raw: UnsafeRawBufferPointer) {
        type = raw[0]
        length = Int32(bigEndian: raw.loadUnaligned(fromByteOffset: 1, as: Int32.self))
    }
}
