import NIOCore
import PGWire
import Testing

/// However the bytes of a stream are cut into reads, the decoders return the same messages.
@Suite("Decoding split streams")
struct StreamSplittingTests {
    static let messages = MessageStreams.backendMessages
    static let stream = MessageStreams.encode(messages)

    /// Feeds `chunks` to a decoder with `append`, draining `next()` after each one.
    static func decode(chunks: [ByteBuffer]) throws -> [BackendMessage] {
        var decoder = BackendMessageDecoder()
        var decoded: [BackendMessage] = []
        for chunk in chunks {
            decoder.append(chunk)
            while let message = try decoder.next() { decoded.append(message) }
        }
        #expect(decoder.bufferedByteCount == 0)
        return decoded
    }

    /// Cuts `buffer` at the given lengths.
    static func split(_ buffer: ByteBuffer, sizes: some Sequence<Int>) -> [ByteBuffer] {
        var rest = buffer
        var chunks: [ByteBuffer] = []
        var sizes = sizes.makeIterator()
        while rest.readableBytes > 0, let size = sizes.next() {
            chunks.append(rest.readSlice(length: min(size, rest.readableBytes)) ?? ByteBuffer())
        }
        return chunks
    }

    @Test func allAtOnce() throws {
        #expect(try Self.decode(chunks: [Self.stream]) == Self.messages)
    }

    @Test func allAtOnceWithDecodeFrom() throws {
        var buffer = Self.stream
        let decoder = BackendMessageDecoder()
        var decoded: [BackendMessage] = []
        while let message = try decoder.decode(from: &buffer) { decoded.append(message) }
        #expect(decoded == Self.messages)
        #expect(buffer.readableBytes == 0)
    }

    @Test func byteByByte() throws {
        let chunks = Self.split(
            Self.stream, sizes: repeatElement(1, count: Self.stream.readableBytes))
        #expect(chunks.count == Self.stream.readableBytes)
        #expect(try Self.decode(chunks: chunks) == Self.messages)
    }

    @Test(arguments: [1, 2, 3, 42, 2024, 0xDEAD_BEEF] as [UInt64])
    func randomSplits(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let sizes = (0..<Self.stream.readableBytes).map { _ in
            // Mostly small reads, some of a typical socket read's size.
            Bool.random(using: &generator)
                ? Int.random(in: 1...16, using: &generator)
                : Int.random(in: 1...9000, using: &generator)
        }
        let chunks = Self.split(Self.stream, sizes: sizes)
        #expect(chunks.count > 10)
        #expect(try Self.decode(chunks: chunks) == Self.messages)
    }

    @Test func incompleteMessageWaitsWithoutConsuming() throws {
        var decoder = BackendMessageDecoder()
        decoder.append(ByteBuffer(bytes: [0x5A, 0, 0, 0]))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 4)
        decoder.append(ByteBuffer(bytes: [5]))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 5)
        decoder.append(ByteBuffer(bytes: [0x54, 0x31]))
        #expect(try decoder.next() == .readyForQuery(.init(transactionStatus: .inTransaction)))
        #expect(decoder.bufferedByteCount == 1)
        #expect(try decoder.next() == nil)
    }

    @Test(arguments: [1, 7, 99] as [UInt64])
    func frontendStreamInRandomPieces(seed: UInt64) throws {
        var stream = ByteBuffer()
        for message in MessageStreams.frontendMessages { try message.encode(into: &stream) }
        var generator = SeededGenerator(seed: seed)
        var decoder = FrontendMessageDecoder()
        var pending = ByteBuffer()
        var decoded: [FrontendMessage] = []
        while stream.readableBytes > 0 {
            let size = min(Int.random(in: 1...12, using: &generator), stream.readableBytes)
            var piece = stream.readSlice(length: size) ?? ByteBuffer()
            pending.writeBuffer(&piece)
            while let message = try decoder.decode(from: &pending) { decoded.append(message) }
        }
        #expect(decoded == MessageStreams.frontendMessages)
        #expect(pending.readableBytes == 0)
    }
}
