import Testing

@testable import PGWire

@Suite("Base64")
struct Base64Tests {
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
    }

    @Test func allByteValuesRoundTrip() {
        let bytes = (0...255).map(UInt8.init)
        for length in 0...bytes.count {
            #expect(
                Base64.decode(Base64.encodeToBytes(bytes.prefix(length)))
                    == Array(bytes.prefix(length)))
        }
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zh==", "Zm9=", "====", "Z===", "Zg==Zg==", "Zm 9v", "Zm9v\n", "Zm9-", "Z=g=",
        "Zm9v====", "\u{00E9}AAA",
    ])
    func nonCanonicalInputIsRejected(text: String) {
        #expect(Base64.decode(Array(text.utf8)) == nil)
    }
}
