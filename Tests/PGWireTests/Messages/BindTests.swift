import NIOCore
import PGWire
import Testing

@Suite("Bind")
struct BindTests {
    @Test func nullParametersAndMixedFormats() throws {
        // `B`, length, portal, statement, Int16 format count + formats, Int16 parameter count +
        // (Int32 length or -1, bytes) per parameter, Int16 result format count + formats.
        let bytes: [UInt8] =
            [0x42, 0, 0, 0, 44]
            + Wire.cstring("p1") + Wire.cstring("s1")
            + [0, 3, 0, 0, 0, 1, 0, 1]
            + [0, 3]
            + [0, 0, 0, 2, 0x68, 0x69]
            + [0xFF, 0xFF, 0xFF, 0xFF]
            + [0, 0, 0, 4, 0, 0, 0, 7]
            + [0, 2, 0, 1, 0, 0]
        try expectFrontendMessage(
            .bind(
                .init(
                    portalName: "p1", statementName: "s1",
                    parameterFormats: [.text, .binary, .binary],
                    parameters: [ByteBuffer(string: "hi"), nil, ByteBuffer(integer: Int32(7))],
                    resultFormats: [.binary, .text])),
            encodesTo: bytes)
    }

    @Test func defaultsAreUnnamedAndBinary() throws {
        try expectFrontendMessage(
            .bind(.init()), encodesTo: [0x42, 0, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1])
    }

    @Test func allTextWithEmptyFormatListsAndEmptyValue() throws {
        try expectFrontendMessage(
            .bind(.init(parameterFormats: [], parameters: [nil, ByteBuffer()], resultFormats: [])),
            encodesTo: [
                0x42, 0, 0, 0, 20, 0, 0, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0,
            ])
    }

    @Test func writeTakesParametersAlreadyEncoded() throws {
        var written = ByteBuffer(bytes: [0xAA])
        var values = ByteBuffer()
        values.writeInteger(Int32(8))
        values.writeInteger(Int64(-1))
        try FrontendMessage.Bind.write(
            into: &written, portalName: "", statementName: "s1", parameterFormats: [.binary],
            parameterCount: 1, encodedParameters: values, resultFormats: [])
        #expect(written.readInteger(as: UInt8.self) == 0xAA)
        var expected = ByteBuffer()
        try FrontendMessage.bind(
            .init(
                statementName: "s1", parameters: [ByteBuffer(integer: Int64(-1))], resultFormats: []
            )
        )
        .encode(into: &expected)
        #expect(written == expected)
    }

    @Test func tooManyParameterFormatsAreNotWritten() throws {
        var buffer = ByteBufferFixture.prefilled
        let error = #expect(throws: PGWireError.self) {
            try FrontendMessage.bind(
                .init(parameterFormats: .init(repeating: .text, count: 65_536))
            ).encode(into: &buffer)
        }
        #expect(
            error
                == PGWireError(
                    .invalidValue("65536 items, more than 65535"), message: "Bind",
                    field: "parameterFormats"))
        #expect(buffer == ByteBufferFixture.prefilled)
    }

    @Test func parameterRunningPastTheMessage() throws {
        var decoder = FrontendMessageDecoder()
        decoder.expectsStartupMessage = false
        var input = ByteBuffer(bytes: [0x42, 0, 0, 0, 15, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0x61])
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(error == PGWireError(.fieldOverrun, message: "Bind", field: "parameter 0"))
    }

    @Test func invalidParameterFormat() throws {
        var decoder = FrontendMessageDecoder()
        decoder.expectsStartupMessage = false
        var input = ByteBuffer(bytes: [0x42, 0, 0, 0, 14, 0, 0, 0, 1, 0, 3, 0, 0, 0, 0])
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(
            error
                == PGWireError(
                    .invalidValue("format code 3"), message: "Bind", field: "parameterFormats"))
    }

    @Test func writeRefusesANameWithNULAndLeavesTheBufferAlone() {
        var written = ByteBuffer(bytes: [1, 2, 3])
        #expect(throws: PGWireError.self) {
            try FrontendMessage.Bind.write(
                into: &written, portalName: "", statementName: "s\u{0}1", parameterFormats: [],
                parameterCount: 0, encodedParameters: ByteBuffer(), resultFormats: [])
        }
        #expect(written == ByteBuffer(bytes: [1, 2, 3]))
    }

    @Test func writeRefusesMoreThan65535Formats() {
        var written = ByteBuffer()
        #expect(throws: PGWireError.self) {
            try FrontendMessage.Bind.write(
                into: &written, portalName: "", statementName: "", parameterFormats: [],
                parameterCount: 0, encodedParameters: ByteBuffer(),
                resultFormats: Array(repeating: .binary, count: 65536))
        }
        #expect(written.readableBytes == 0)
    }

    @Test func unnamedPortalConstantsAreTheGenericEncodings() throws {
        var generic = ByteBuffer()
        try FrontendMessage.describe(.init(.portal)).encode(into: &generic)
        try FrontendMessage.execute(.init()).encode(into: &generic)
        try FrontendMessage.sync.encode(into: &generic)
        try FrontendMessage.flush.encode(into: &generic)
        var constants = ByteBuffer()
        FrontendMessage.writeDescribeUnnamedPortal(into: &constants)
        FrontendMessage.writeExecuteUnnamedPortal(into: &constants)
        FrontendMessage.writeSync(into: &constants)
        FrontendMessage.writeFlush(into: &constants)
        #expect(constants == generic)
    }
}
