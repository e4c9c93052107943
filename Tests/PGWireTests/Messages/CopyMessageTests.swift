import NIOCore
import PGWire
import Testing

@Suite("COPY messages")
struct CopyMessageTests {
    @Test func copyInResponseText() throws {
        // `G`, length, Int8 overall format, Int16 column count, Int16 format per column.
        try expectBackendMessage(
            .copyInResponse(.init(format: .text, columnFormats: [.text, .text, .text])),
            encodesTo: [0x47, 0, 0, 0, 13, 0, 0, 3, 0, 0, 0, 0, 0, 0])
    }

    @Test func copyOutResponseBinary() throws {
        try expectBackendMessage(
            .copyOutResponse(.init(format: .binary, columnFormats: [.binary, .binary])),
            encodesTo: [0x48, 0, 0, 0, 11, 1, 0, 2, 0, 1, 0, 1])
    }

    @Test func copyBothResponseWithoutColumns() throws {
        try expectBackendMessage(
            .copyBothResponse(.init(format: .binary, columnFormats: [])),
            encodesTo: [0x57, 0, 0, 0, 7, 1, 0, 0])
    }

    @Test func copyResponseWithInvalidOverallFormat() throws {
        let error = try #require(backendDecodingError([0x47, 0, 0, 0, 7, 2, 0, 0]))
        #expect(
            error
                == PGWireError(
                    .invalidValue("format code 2"), message: "CopyInResponse", field: "format"))
    }

    @Test func copyResponseWithInvalidColumnFormat() throws {
        let error = try #require(backendDecodingError([0x48, 0, 0, 0, 9, 0, 0, 1, 0, 5]))
        #expect(
            error
                == PGWireError(
                    .invalidValue("format code 5"), message: "CopyOutResponse",
                    field: "columnFormats"))
    }

    @Test func backendCopyData() throws {
        try expectBackendMessage(
            .copyData(.init(data: ByteBuffer(string: "1\tone\n"))),
            encodesTo: [0x64, 0, 0, 0, 10, 0x31, 0x09, 0x6F, 0x6E, 0x65, 0x0A])
        try expectBackendMessage(
            .copyData(.init(data: ByteBuffer())), encodesTo: [0x64, 0, 0, 0, 4])
    }

    @Test func backendCopyDone() throws {
        try expectBackendMessage(.copyDone, encodesTo: [0x63, 0, 0, 0, 4])
    }

    @Test func frontendCopyData() throws {
        try expectFrontendMessage(
            .copyData(
                .init(
                    data: ByteBuffer(bytes: [
                        0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00,
                    ]))),
            encodesTo: [
                0x64, 0, 0, 0, 15, 0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00,
            ])
    }

    @Test func frontendCopyDone() throws {
        try expectFrontendMessage(.copyDone, encodesTo: [0x63, 0, 0, 0, 4])
    }

    @Test func frontendCopyFail() throws {
        try expectFrontendMessage(
            .copyFail(.init(message: "no")), encodesTo: [0x66, 0, 0, 0, 7, 0x6E, 0x6F, 0])
    }
}
