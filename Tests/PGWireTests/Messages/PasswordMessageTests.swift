import NIOCore
import PGWire
import Testing

/// The three `p` messages: PasswordMessage, SASLInitialResponse and SASLResponse.
@Suite("Password and SASL messages")
struct PasswordMessageTests {
    @Test func passwordMessage() throws {
        try expectFrontendMessage(
            .password(.init(password: "secret")),
            encodesTo: [0x70, 0, 0, 0, 11, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0])
    }

    @Test func md5PasswordMessage() throws {
        let response = "md5" + String(repeating: "0f", count: 16)
        try expectFrontendMessage(
            .password(.init(password: response)),
            encodesTo: [0x70, 0, 0, 0, 40] + Wire.cstring(response))
    }

    @Test func saslInitialResponseWithData() throws {
        // `p`, length, mechanism NUL-terminated, Int32 data length, the data.
        try expectFrontendMessage(
            .saslInitialResponse(
                .init(mechanism: "SCRAM-SHA-256", initialResponse: Array("n,,n=,r=abc".utf8))),
            encodesTo: [0x70, 0, 0, 0, 33] + Wire.cstring("SCRAM-SHA-256") + [0, 0, 0, 11]
                + Wire.bytes("n,,n=,r=abc"))
    }

    @Test func saslInitialResponseWithoutData() throws {
        try expectFrontendMessage(
            .saslInitialResponse(.init(mechanism: "SCRAM-SHA-256", initialResponse: nil)),
            encodesTo: [0x70, 0, 0, 0, 22] + Wire.cstring("SCRAM-SHA-256") + [
                0xFF, 0xFF, 0xFF, 0xFF,
            ])
    }

    @Test func saslInitialResponseWithEmptyData() throws {
        try expectFrontendMessage(
            .saslInitialResponse(.init(mechanism: "X", initialResponse: [])),
            encodesTo: [0x70, 0, 0, 0, 10, 0x58, 0, 0, 0, 0, 0])
    }

    @Test func saslResponse() throws {
        try expectFrontendMessage(
            .saslResponse(.init(data: Array("c=biws,r=abc,p=xyz".utf8))),
            encodesTo: [0x70, 0, 0, 0, 22] + Wire.bytes("c=biws,r=abc,p=xyz"))
    }

    @Test func theSameBytesReadAsTheConversationSays() throws {
        let bytes: [UInt8] = [0x70, 0, 0, 0, 7, 0x61, 0x62, 0]
        var decoder = FrontendMessageDecoder()
        decoder.expectsStartupMessage = false
        var input = ByteBuffer(bytes: bytes)
        #expect(try decoder.decode(from: &input) == .password(.init(password: "ab")))
        decoder.passwordMessageKind = .saslResponse
        input = ByteBuffer(bytes: bytes)
        #expect(try decoder.decode(from: &input) == .saslResponse(.init(data: [0x61, 0x62, 0])))
        decoder.passwordMessageKind = .saslInitialResponse
        input = ByteBuffer(bytes: bytes)
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(
            error
                == PGWireError(
                    .fieldOverrun, message: "SASLInitialResponse", field: "initialResponse"))
    }
}
