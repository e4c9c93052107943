import NIOCore
import PGWire
import Testing

/// `nextDataRow()` takes DataRows without building a message; whatever it does not take,
/// `next()` decodes exactly as before.
@Suite("Decoding DataRows on the fast path")
struct DataRowFastPathTests {
    /// Drains the decoder, trying `nextDataRow()` before every `next()`.
    static func decodePreferringRows(chunks: [ByteBuffer]) throws -> [BackendMessage] {
        var decoder = BackendMessageDecoder()
        var decoded: [BackendMessage] = []
        for chunk in chunks {
            decoder.append(chunk)
            while true {
                if let row = decoder.nextDataRow() {
                    decoded.append(.dataRow(row))
                    continue
                }
                guard let message = try decoder.next() else { break }
                decoded.append(message)
            }
        }
        #expect(decoder.bufferedByteCount == 0)
        return decoded
    }

    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func sameMessagesHoweverTheStreamIsCut(size: Int) throws {
        let stream = MessageStreams.encode(MessageStreams.backendMessages)
        var rest = stream
        var chunks: [ByteBuffer] = []
        while rest.readableBytes > 0, let chunk = rest.readSlice(length: min(size, rest.readableBytes)) {
            chunks.append(chunk)
        }
        #expect(try Self.decodePreferringRows(chunks: chunks) == MessageStreams.backendMessages)
    }

    @Test func takesNothingButACompleteDataRow() throws {
        var decoder = BackendMessageDecoder()
        let row = MessageStreams.encode([.dataRow(.init(columns: [ByteBuffer(integer: Int32(7))]))])
        decoder.append(MessageStreams.encode([.bindComplete]))
        decoder.append(row.getSlice(at: row.readerIndex, length: row.readableBytes - 1) ?? ByteBuffer())
        #expect(decoder.nextDataRow() == nil)
        #expect(try decoder.next() == .bindComplete)
        #expect(decoder.nextDataRow() == nil)  // one byte missing
        decoder.append(row.getSlice(at: row.readableBytes - 1, length: 1) ?? ByteBuffer())
        #expect(decoder.nextDataRow() == .init(columns: [ByteBuffer(integer: Int32(7))]))
        #expect(decoder.bufferedByteCount == 0)
    }

    /// A DataRow whose column overruns the message: the fast path leaves it, and `next()`
    /// reports the violation as it always did.
    @Test func leavesAMalformedRowToNext() throws {
        var bytes = ByteBuffer()
        bytes.writeInteger(UInt8(ascii: "D"))
        bytes.writeInteger(Int32(4 + 2 + 4 + 1))
        bytes.writeInteger(Int16(1))
        bytes.writeInteger(Int32(5))  // says 5 bytes, has 1
        bytes.writeInteger(UInt8(1))
        var decoder = BackendMessageDecoder()
        decoder.append(bytes)
        #expect(decoder.nextDataRow() == nil)
        #expect(decoder.bufferedByteCount == bytes.readableBytes)
        #expect(throws: PGWireError.self) { try decoder.next() }
    }
}
