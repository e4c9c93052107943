import PGWire
import Testing

/// Messages that are only a type byte and the length 4.
@Suite("Messages without a body")
struct EmptyBodyMessageTests {
    static let backend: [(BackendMessage, UInt8)] = [
        (.bindComplete, 0x32),  // 2
        (.closeComplete, 0x33),  // 3
        (.copyDone, 0x63),  // c
        (.emptyQueryResponse, 0x49),  // I
        (.noData, 0x6E),  // n
        (.parseComplete, 0x31),  // 1
        (.portalSuspended, 0x73),  // s
    ]

    static let frontend: [(FrontendMessage, UInt8)] = [
        (.sync, 0x53),  // S
        (.flush, 0x48),  // H
        (.copyDone, 0x63),  // c
        (.terminate, 0x58),  // X
    ]

    @Test(arguments: backend)
    func backendMessage(message: BackendMessage, type: UInt8) throws {
        try expectBackendMessage(message, encodesTo: [type, 0, 0, 0, 4])
    }

    @Test(arguments: backend)
    func backendMessageWithABodyIsRejected(message: BackendMessage, type: UInt8) throws {
        let error = try #require(backendDecodingError([type, 0, 0, 0, 5, 0]))
        #expect(error == PGWireError(.trailingBytes(1), message: message.name))
    }

    @Test(arguments: frontend)
    func frontendMessage(message: FrontendMessage, type: UInt8) throws {
        try expectFrontendMessage(message, encodesTo: [type, 0, 0, 0, 4])
    }

    @Test func names() {
        #expect(BackendMessage.bindComplete.name == "BindComplete")
        #expect(BackendMessage.portalSuspended.name == "PortalSuspended")
        #expect(FrontendMessage.terminate.name == "Terminate")
        #expect(FrontendMessage.flush.name == "Flush")
    }
}
