import NIOCore
import Testing

@testable import PGWire

/// Fixtures are (text output, `inet_send`/`cidr_send` bytes) from PostgreSQL 15.
@Suite("inet and cidr codecs")
struct InetCodecTests {
    @Test(arguments: [
        ("192.168.0.1", "02200004c0a80001"), ("10.0.0.0/8", "020800040a000000"),
        ("192.168.1.5/24", "02180004c0a80105"), ("::1", "0380001000000000000000000000000000000001"),
        ("2001:db8::1/64", "0340001020010db8000000000000000000000001"),
        ("::ffff:1.2.3.4", "0380001000000000000000000000ffff01020304"),
        ("fe80::1:2:3:4", "03800010fe800000000000000001000200030004"),
        ("2001:db8::1:0:0:1", "0380001020010db8000000000001000000000001"),
        ("::", "0380001000000000000000000000000000000000"),
    ])
    func inet(text: String, binary: String) throws {
        try expectServerFixture(PGInet.self, .inet, text: text, binary: binary)
    }

    @Test(arguments: [
        ("10.0.0.0/8", "020801040a000000"), ("1.2.3.4/32", "0220010401020304"),
        ("2001:db8::/32", "0320011020010db8000000000000000000000000"),
        ("0.0.0.0/0", "0200010400000000"),
    ])
    func cidr(text: String, binary: String) throws {
        try expectServerFixture(PGInet.self, .cidr, text: text, binary: binary)
    }

    @Test(
        "bad addresses are refused",
        arguments: [
            "", "1.2.3", "1.2.3.256", "1.2.3.4/33", "::1/129", "1:2:3:4:5:6:7:8:9", "1::2::3",
            "g::1", "1.2.3.4/",
            "1.2.3.4/-1",
        ])
    func badText(text: String) {
        #expect(
            isInvalidValue(decodingErrorKind { _ = try decoded(PGInet.self, text: text, .inet) }),
            "\(text)")
    }

    @Test func badBinary() {
        #expect(
            isInvalidValue(
                decodingErrorKind {
                    _ = try decoded(PGInet.self, bytes(hex: "0420000400000000"), .inet, .binary)
                }))
        #expect(
            isInvalidValue(
                decodingErrorKind {
                    _ = try decoded(PGInet.self, bytes(hex: "022100040a000000"), .inet, .binary)
                }))
        #expect(
            isInvalidValue(
                decodingErrorKind {
                    _ = try decoded(PGInet.self, bytes(hex: "020801040a000001"), .cidr, .binary)
                }))
        #expect(
            isInvalidLength(
                decodingErrorKind {
                    _ = try decoded(PGInet.self, bytes(hex: "022000040a00"), .inet, .binary)
                }))
        #expect(
            isInvalidValue(
                decodingErrorKind { _ = try decoded(PGInet.self, text: "10.0.0.1/8", .cidr) }))
    }
}
