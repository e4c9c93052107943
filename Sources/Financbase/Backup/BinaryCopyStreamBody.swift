import NIOCore
import PGClient

/// The rows of one binary COPY stream without its 19-byte header and 2-byte trailer, so that
/// several streams of the same columns join into one: the header once, every stream's rows,
/// the trailer once. An organization export reads a user-scoped table once per user and writes
/// one stream for it.
///
/// A pure value fed chunks of any size: ``rows(of:)`` returns the bytes that belong to rows and
/// holds back the last two, which may be the trailer; ``finish()`` checks that they were.
struct BinaryCopyStreamBody {
    /// The header every stream starts with (no OIDs, no header extension).
    static let header = PGCopyRow.header
    /// The trailer every stream ends with: a field count of -1.
    static let trailer: [UInt8] = [0xFF, 0xFF]

    private var headerLeft = header.count
    private var headerSeen: [UInt8] = []
    private var heldBack: [UInt8] = []

    /// The row bytes of `chunk`, the stream's next part.
    ///
    /// - Throws: a reason when the stream does not start with the expected header.
    mutating func rows(of chunk: ByteBuffer) throws(BinaryCopyRowCounter.Malformed) -> ByteBuffer {
        var chunk = chunk
        if headerLeft > 0 {
            let taken = min(headerLeft, chunk.readableBytes)
            headerSeen += chunk.readBytes(length: taken) ?? []
            headerLeft -= taken
            if headerLeft == 0 && headerSeen != Self.header {
                throw BinaryCopyRowCounter.Malformed(reason: "a part does not start with the plain binary COPY header")
            }
        }
        var out = ByteBuffer(bytes: heldBack)
        out.writeBuffer(&chunk)
        let keep = min(Self.trailer.count, out.readableBytes)
        heldBack = Array(out.readableBytesView.suffix(keep))
        out.moveWriterIndex(to: out.writerIndex - keep)
        return out
    }

    /// Checks that the stream ended with its header read and its trailer held back.
    ///
    /// - Throws: a reason when the stream ended early or without its trailer.
    func finish() throws(BinaryCopyRowCounter.Malformed) {
        guard headerLeft == 0, heldBack == Self.trailer else {
            throw BinaryCopyRowCounter.Malformed(reason: "a part ends without the binary COPY trailer")
        }
    }
}
