import NIOCore
import PGWire
import Testing

@Suite("Authentication")
struct AuthenticationMessageTests {
    /// `R`, length, Int32 code, then the code's own data.
    static let cases: [(BackendMessage.Authentication, [UInt8])] = [
        (.ok, [0x52, 0, 0, 0, 8, 0, 0, 0, 0]),
        (.kerberosV5, [0x52, 0, 0, 0, 8, 0, 0, 0, 2]),
        (.cleartextPassword, [0x52, 0, 0, 0, 8, 0, 0, 0, 3]),
        (.md5Password(salt: 0x9A3B_C4D5), [0x52, 0, 0, 0, 12, 0, 0, 0, 5, 0x9A, 0x3B, 0xC4, 0xD5]),
        (.gss, [0x52, 0, 0, 0, 8, 0, 0, 0, 7]),
        (
            .gssContinue(data: ByteBuffer(bytes: [0x60, 0x82, 0x01])),
            [0x52, 0, 0, 0, 11, 0, 0, 0, 8, 0x60, 0x82, 0x01]
        ),
        (.gssContinue(data: ByteBuffer()), [0x52, 0, 0, 0, 8, 0, 0, 0, 8]),
        (.sspi, [0x52, 0, 0, 0, 8, 0, 0, 0, 9]),
        (
            .sasl(mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"]),
            [0x52, 0, 0, 0, 42, 0, 0, 0, 10]
                + Wire.cstring("SCRAM-SHA-256-PLUS") + Wire.cstring("SCRAM-SHA-256") + [0]
        ),
        (.sasl(mechanisms: []), [0x52, 0, 0, 0, 9, 0, 0, 0, 10, 0]),
        (
            .saslContinue(data: ByteBuffer(string: "r=abc,s=QSXCR+Q6sek8bf92,i=4096")),
            [0x52, 0, 0, 0, 39, 0, 0, 0, 11] + Wire.bytes("r=abc,s=QSXCR+Q6sek8bf92,i=4096")
        ),
        (
            .saslFinal(data: ByteBuffer(string: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")),
            [0x52, 0, 0, 0, 54, 0, 0, 0, 12]
                + Wire.bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        ),
    ]

    @Test(arguments: cases)
    func encodesAndDecodes(request: BackendMessage.Authentication, bytes: [UInt8]) throws {
        try expectBackendMessage(.authentication(request), encodesTo: bytes)
    }

    @Test func codesAndMethodNames() {
        #expect(BackendMessage.Authentication.md5Password(salt: 1).code == 5)
        #expect(BackendMessage.Authentication.saslFinal(data: ByteBuffer()).code == 12)
        #expect(BackendMessage.Authentication.sasl(mechanisms: []).methodName == "SASL")
        #expect(BackendMessage.Authentication.md5Password(salt: 1).methodName == "md5")
        #expect(
            BackendMessage.Authentication.gssContinue(data: ByteBuffer()).methodName == "GSSAPI")
    }

    @Test func unknownCodeIsAnInvalidValue() throws {
        let error = try #require(backendDecodingError([0x52, 0, 0, 0, 8, 0, 0, 0, 6]))
        #expect(error.message == "Authentication")
        #expect(error.field == "code")
        #expect(error.kind == .invalidValue("authentication code 6"))
    }

    @Test func md5WithoutSaltOverruns() throws {
        let error = try #require(backendDecodingError([0x52, 0, 0, 0, 10, 0, 0, 0, 5, 1, 2]))
        #expect(error == PGWireError(.fieldOverrun, message: "Authentication", field: "salt"))
    }

    @Test func saslListWithoutFinalTerminatorIsRejected() throws {
        // One mechanism, but not the empty string that ends the list.
        let error = try #require(
            backendDecodingError(Wire.message("R", Wire.int32(10) + Wire.cstring("SCRAM-SHA-256"))))
        #expect(
            error == PGWireError(.missingTerminator, message: "Authentication", field: "mechanism"))
    }

    @Test func dataAfterAFixedSizeRequestIsTrailing() throws {
        let error = try #require(backendDecodingError([0x52, 0, 0, 0, 9, 0, 0, 0, 0, 7]))
        #expect(error == PGWireError(.trailingBytes(1), message: "Authentication"))
    }
}
