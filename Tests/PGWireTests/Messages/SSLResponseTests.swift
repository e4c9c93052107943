import NIOCore
import PGWire
import Testing

@Suite("SSLResponse")
struct SSLResponseTests {
    @Test func acceptedRefusedAndError() throws {
        var buffer = ByteBuffer(bytes: [0x53, 0x4E])
        #expect(try SSLResponse.decode(from: &buffer) == .accepted)
        #expect(buffer.bytes == [0x4E])  // the next byte stays for the caller to check
        #expect(try SSLResponse.decode(from: &buffer) == .refused)
        #expect(buffer.readableBytes == 0)
        #expect(try SSLResponse.decode(from: &buffer) == nil)

        var error = ByteBuffer(bytes: [0x45, 0, 0, 0, 5])
        #expect(try SSLResponse.decode(from: &error) == .error)
        #expect(error.readableBytes == 5)  // the ErrorResponse is left for the message decoder
    }

    @Test func gssEncryptionAcceptsGOnly() throws {
        var accepted = ByteBuffer(bytes: [0x47])
        #expect(try SSLResponse.decode(from: &accepted, gssEncryption: true) == .accepted)
        var wrong = ByteBuffer(bytes: [0x53])
        #expect(throws: PGWireError(.invalidValue("'S' (0x53)"), message: "GSSENCRequest response"))
        {
            try SSLResponse.decode(from: &wrong, gssEncryption: true)
        }
        var notSSL = ByteBuffer(bytes: [0x47])
        #expect(throws: PGWireError(.invalidValue("'G' (0x47)"), message: "SSLRequest response")) {
            try SSLResponse.decode(from: &notSSL)
        }
    }

    @Test func unprintableByteIsShownInHex() throws {
        var buffer = ByteBuffer(bytes: [0x00])
        let error = #expect(throws: PGWireError.self) { try SSLResponse.decode(from: &buffer) }
        #expect(
            error?.description == "protocol violation in SSLRequest response: invalid value 0x00")
        #expect(buffer.readableBytes == 1)
    }
}
