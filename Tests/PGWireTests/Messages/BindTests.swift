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

    @Test func writeEncodesParametersInPlace() throws {
        var written = ByteBuffer()
        try FrontendMessage.Bind.write(
            into: &written, portalName: "", statementName: "s1", parameterFormats: [.binary],
            parameterCount: 1, resultFormats: []
        ) { body in
            body.writeInteger(Int32(8))
            body.writeInteger(Int64(-1))
        }
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
}
