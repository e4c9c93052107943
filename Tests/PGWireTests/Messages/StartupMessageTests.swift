import NIOCore
import PGWire
import Testing

/// The untyped startup-family messages: StartupMessage, SSLRequest, GSSENCRequest, CancelRequest.
@Suite("Startup-family messages")
struct StartupMessageTests {
    @Test func startupMessage30() throws {
        // Int32 length, Int32 version 3.0 (196608), name/value pairs NUL-terminated, a final NUL.
        try expectFrontendMessage(
            .startup(.init(parameters: [.init("user", "alice"), .init("database", "db")])),
            encodesTo: [0, 0, 0, 32, 0, 3, 0, 0]
                + Wire.cstring("user") + Wire.cstring("alice") + Wire.cstring("database")
                + Wire.cstring("db") + [0])
    }

    @Test func startupMessage32WithProtocolOption() throws {
        try expectFrontendMessage(
            .startup(
                .init(
                    protocolVersion: .v3_2,
                    parameters: [.init("user", "alice"), .init("_pq_.fancy", "on")])),
            encodesTo: [0, 0, 0, 34, 0, 3, 0, 2]
                + Wire.cstring("user") + Wire.cstring("alice") + Wire.cstring("_pq_.fancy")
                + Wire.cstring("on") + [0])
    }

    @Test func protocolVersionCodes() {
        #expect(ProtocolVersion.v3_0.code == 196_608)
        #expect(ProtocolVersion.v3_2.code == 196_610)
        #expect(ProtocolVersion(code: 196_610) == .v3_2)
        #expect(ProtocolVersion.v3_0 < .v3_2)
        #expect(ProtocolVersion.v3_2.description == "3.2")
    }

    @Test func sslRequest() throws {
        // Length 8 and the code 1234.5679.
        try expectFrontendMessage(.sslRequest, encodesTo: [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F])
    }

    @Test func gssEncRequest() throws {
        // Length 8 and the code 1234.5680.
        try expectFrontendMessage(.gssEncRequest, encodesTo: [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x30])
    }

    @Test func cancelRequestWithFourByteKey() throws {
        // Length 16, the code 1234.5678, Int32 process ID, the secret key.
        try expectFrontendMessage(
            .cancelRequest(.init(processID: 0x0001_E240, secretKey: [0xDE, 0xAD, 0xBE, 0xEF])),
            encodesTo: [
                0, 0, 0, 16, 0x04, 0xD2, 0x16, 0x2E, 0x00, 0x01, 0xE2, 0x40, 0xDE, 0xAD, 0xBE, 0xEF,
            ])
    }

    @Test(arguments: [32, 256])
    func cancelRequestWithVariableKey(length: Int) throws {
        let key = (0..<length).map { UInt8(truncatingIfNeeded: 255 - $0) }
        try expectFrontendMessage(
            .cancelRequest(.init(processID: 77, secretKey: key)),
            encodesTo: Wire.int32(Int32(12 + length)) + [0x04, 0xD2, 0x16, 0x2E, 0, 0, 0, 77] + key)
    }

    @Test(arguments: [0, 3, 257])
    func cancelRequestWithInvalidKeyIsNotWritten(length: Int) throws {
        var buffer = ByteBufferFixture.prefilled
        let error = #expect(throws: PGWireError.self) {
            try FrontendMessage.cancelRequest(
                .init(processID: 1, secretKey: .init(repeating: 1, count: length))
            )
            .encode(into: &buffer)
        }
        #expect(
            error
                == PGWireError(
                    .invalidValue("secret key of \(length) bytes"), message: "CancelRequest",
                    field: "secretKey"))
        #expect(buffer == ByteBufferFixture.prefilled)
    }

    @Test func cancelRequestWithInvalidKeyIsNotDecoded() throws {
        var decoder = FrontendMessageDecoder()
        var input = ByteBuffer(bytes: [0, 0, 0, 15, 0x04, 0xD2, 0x16, 0x2E, 0, 0, 0, 1, 1, 2, 3])
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(
            error
                == PGWireError(
                    .invalidValue("secret key of 3 bytes"), message: "CancelRequest",
                    field: "secretKey"))
    }

    @Test func startupMessageWithoutFinalNul() throws {
        var decoder = FrontendMessageDecoder()
        var input = ByteBuffer(
            bytes: [0, 0, 0, 17, 0, 3, 0, 0] + Wire.cstring("user") + Wire.cstring("bob"))
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(
            error
                == PGWireError(
                    .missingTerminator, message: "StartupMessage", field: "parameter name"))
    }

    @Test func unsupportedMajorVersionIsRejected() throws {
        var decoder = FrontendMessageDecoder()
        var input = ByteBuffer(bytes: [0, 0, 0, 9, 0, 2, 0, 0, 0])
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(
            error
                == PGWireError(
                    .invalidValue("protocol version 2.0"), message: "StartupMessage",
                    field: "protocolVersion"))
    }

    @Test func startupFamilyLengthLimits() throws {
        var decoder = FrontendMessageDecoder()
        var short = ByteBuffer(bytes: [0, 0, 0, 7])
        #expect(throws: PGWireError(.lengthTooSmall(7), message: "StartupMessage")) {
            try decoder.decode(from: &short)
        }
        var long = ByteBuffer(bytes: [0, 0, 0x27, 0x11])
        #expect(
            throws: PGWireError(
                .messageTooLarge(length: 10_001, maximum: 10_000), message: "StartupMessage")
        ) {
            try decoder.decode(from: &long)
        }
    }

    @Test func typedMessagesFollowTheStartupMessage() throws {
        var input = ByteBuffer()
        let messages: [FrontendMessage] = [
            .sslRequest, .startup(.init(parameters: [.init("user", "u")])),
            .query(.init(sql: "SELECT 1")), .terminate,
        ]
        for message in messages { try message.encode(into: &input) }
        var decoder = FrontendMessageDecoder()
        var decoded: [FrontendMessage] = []
        while let message = try decoder.decode(from: &input) { decoded.append(message) }
        #expect(decoded == messages)
        #expect(!decoder.expectsStartupMessage)
    }
}
