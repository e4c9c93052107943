import NIOCore
import PGWire
import Testing

@Suite("BackendKeyData")
struct BackendKeyDataTests {
    @Test func fourByteKeyOfProtocol30() throws {
        try expectBackendMessage(
            .backendKeyData(.init(processID: 0x0001_E240, secretKey: [0xDE, 0xAD, 0xBE, 0xEF])),
            encodesTo: [0x4B, 0, 0, 0, 12, 0x00, 0x01, 0xE2, 0x40, 0xDE, 0xAD, 0xBE, 0xEF])
    }

    @Test(arguments: [32, 256])
    func longKeyOfProtocol32(length: Int) throws {
        let key = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        try expectBackendMessage(
            .backendKeyData(.init(processID: -2, secretKey: key)),
            encodesTo: [0x4B] + Wire.int32(Int32(8 + length)) + [0xFF, 0xFF, 0xFF, 0xFE] + key)
    }

    @Test(arguments: [0, 3, 257])
    func keyOfInvalidLengthIsRejected(length: Int) throws {
        let bytes =
            [0x4B] + Wire.int32(Int32(8 + length)) + [0, 0, 0, 1]
            + [UInt8](repeating: 9, count: length)
        let error = try #require(backendDecodingError(bytes))
        #expect(error.message == "BackendKeyData")
        #expect(error.field == "secretKey")
        #expect(error.kind == .invalidValue("secret key of \(length) bytes"))
    }
}
