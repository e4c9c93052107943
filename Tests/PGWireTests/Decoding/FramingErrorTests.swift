import NIOCore
import PGWire
import Testing

/// Errors in the 5-byte header: they come as soon as the header is there, before any body.
@Suite("Framing errors")
struct FramingErrorTests {
    @Test(arguments: [3, 0, -1, Int32.min])
    func lengthBelowFour(length: Int32) throws {
        let error = try #require(backendDecodingError([0x5A] + Wire.int32(length)))
        #expect(error == PGWireError(.lengthTooSmall(Int(length)), message: "ReadyForQuery"))
    }

    @Test func lengthAboveTheMaximumFailsOnTheHeaderAlone() throws {
        var decoder = BackendMessageDecoder(maximumMessageSize: 1000)
        decoder.append(ByteBuffer(bytes: [0x44] + Wire.int32(1001)))
        let error = #expect(throws: PGWireError.self) { try decoder.next() }
        #expect(
            error == PGWireError(.messageTooLarge(length: 1001, maximum: 1000), message: "DataRow"))
    }

    @Test func lengthAtTheMaximumIsAccepted() throws {
        var decoder = BackendMessageDecoder(maximumMessageSize: 10)
        decoder.append(ByteBuffer(bytes: [0x43] + Wire.int32(10) + Wire.cstring("BEGIN")))
        #expect(try decoder.next() == .commandComplete(.init(tag: "BEGIN")))
    }

    @Test func defaultMaximumIsOneGibibyte() throws {
        #expect(BackendMessageDecoder().maximumMessageSize == 1 << 30)
        let error = try #require(backendDecodingError([0x64] + Wire.int32(Int32.max)))
        #expect(
            error
                == PGWireError(
                    .messageTooLarge(length: Int(Int32.max), maximum: 1 << 30), message: "CopyData")
        )
    }

    @Test func largeDeclaredLengthReservesNothing() throws {
        // A header announcing 1 GiB: the decoder waits for the body without reserving it.
        var decoder = BackendMessageDecoder()
        decoder.append(ByteBuffer(bytes: [0x44] + Wire.int32(1 << 30)))
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 5)
    }

    @Test(arguments: [0x00, 0x21, 0x42, 0x50, 0x70, 0xFF] as [UInt8])
    func unknownTypeByte(type: UInt8) throws {
        let error = try #require(backendDecodingError([type, 0, 0, 0, 4]))
        #expect(error == PGWireError(.unknownMessageType(type), message: "BackendMessage"))
        #expect(error.field == nil)
    }

    @Test func errorAfterAValidMessage() throws {
        var decoder = BackendMessageDecoder()
        decoder.append(ByteBuffer(bytes: [0x31, 0, 0, 0, 4, 0x7E, 0, 0, 0, 4]))
        #expect(try decoder.next() == .parseComplete)
        #expect(throws: PGWireError(.unknownMessageType(0x7E), message: "BackendMessage")) {
            try decoder.next()
        }
    }

    @Test func frontendTypedMessageLengths() throws {
        var decoder = FrontendMessageDecoder(maximumMessageSize: 100)
        decoder.expectsStartupMessage = false
        var short = ByteBuffer(bytes: [0x51, 0, 0, 0, 2])
        #expect(throws: PGWireError(.lengthTooSmall(2), message: "Query")) {
            try decoder.decode(from: &short)
        }
        var long = ByteBuffer(bytes: [0x64, 0, 0, 0, 101])
        #expect(
            throws: PGWireError(.messageTooLarge(length: 101, maximum: 100), message: "CopyData")
        ) {
            try decoder.decode(from: &long)
        }
    }
}
