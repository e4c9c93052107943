import Testing

@testable import PGWire

@Suite("SASLprep")
struct SASLprepTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(arguments: ["pencil", "", "a\u{07}b\u{7F}", "with space", "\u{00}x"])
    func asciiIsUsedAsItIs(password: String) {
        #expect(SASLprep.prepare(Self.bytes(password)) == Self.bytes(password))
    }

    @Test(arguments: [
        ("I\u{00AD}X", "IX"),  // B.1 soft hyphen: mapped to nothing
        ("\u{FEFF}bom", "bom"),  // B.1 byte order mark
        ("user\u{00A0}name", "user name"),  // C.1.2 no-break space: mapped to space
        ("\u{3000}pass", " pass"),  // C.1.2 ideographic space
        ("\u{2168}", "IX"),  // NFKC: roman numeral nine
        ("\u{FB01}", "fi"),  // NFKC: ligature
        ("\u{00AA}", "a"),  // NFKC: feminine ordinal
        ("e\u{0301}", "\u{00E9}"),  // NFKC composes
        ("\u{FF50}\u{FF41}\u{FF53}\u{FF53}", "pass"),  // NFKC: fullwidth
        ("\u{1D400}", "A"),  // NFKC: mathematical bold capital A (non-BMP)
        ("\u{1100}\u{1161}\u{11A8}", "\u{AC01}"),  // NFKC: Hangul jamo compose
        ("\u{0627}\u{0628}", "\u{0627}\u{0628}"),  // RandALCat only
        ("\u{0627}1\u{0628}", "\u{0627}1\u{0628}"),  // RandALCat first and last, neutral inside
    ])
    func mapsAndNormalizes(password: String, expected: String) {
        #expect(SASLprep.prepare(Self.bytes(password)) == Self.bytes(expected))
    }

    @Test(arguments: [
        "a\u{07}\u{00E9}",  // C.2.1 ASCII control in a non-ASCII password
        "\u{0080}x",  // C.2.2
        "\u{E000}x",  // C.3 private use
        "\u{FFFD}x",  // C.6
        "\u{2FF0}x",  // C.7
        "\u{200E}x\u{00E9}",  // C.8 left-to-right mark
        "\u{E0001}x",  // C.9 language tag
        "\u{00AD}",  // empty after mapping
        "\u{0627}a\u{0628}",  // RandALCat with LCat
        "\u{0627}1",  // RandALCat not last
        "1\u{0627}",  // RandALCat not first
        "\u{0221}x",  // A.1: unassigned in Unicode 3.2
        "\u{1F600}",  // A.1: emoji, unassigned in Unicode 3.2
    ])
    func prohibitedPasswordsAreUsedRaw(password: String) {
        #expect(SASLprep.normalized(Self.bytes(password)) == nil)
        #expect(SASLprep.prepare(Self.bytes(password)) == Self.bytes(password))
    }

    @Test func nonCharacterIsProhibited() {
        // U+FDD0 (C.4); Swift string literals refuse non-characters, so as bytes.
        let password: [UInt8] = [0xEF, 0xB7, 0x90, 0x78]
        #expect(SASLprep.decodeUTF8(password) != nil)
        #expect(SASLprep.normalized(password) == nil)
        #expect(SASLprep.prepare(password) == password)
    }

    @Test(
        arguments: [
            [0xC3, 0x28],  // truncated sequence
            [0xC0, 0xAF],  // overlong "/"
            [0xED, 0xA0, 0x80, 0x78],  // encoded surrogate
            [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
            [0x63, 0x61, 0x66, 0xE9],  // Latin-1 "café"
            [0xFF],
        ] as [[UInt8]])
    func invalidUTF8IsUsedRaw(password: [UInt8]) {
        #expect(SASLprep.decodeUTF8(password) == nil)
        #expect(SASLprep.prepare(password) == password)
    }

    @Test func tablesAreSortedAndDisjoint() {
        for table in [
            SASLprepTables.nonASCIISpace, SASLprepTables.mappedToNothing,
            SASLprepTables.prohibitedOutput,
            SASLprepTables.unassigned, SASLprepTables.randALCat, SASLprepTables.lCat,
        ] {
            #expect(table.count % 2 == 0)
            for index in stride(from: 0, to: table.count, by: 2) {
                #expect(table[index] <= table[index + 1])
                if index >= 2 { #expect(table[index - 1] < table[index]) }
            }
        }
    }

    @Test func binarySearchFindsRangeEdges() {
        let table: [UInt32] = [0x10, 0x20, 0x30, 0x30, 0x40, 0x50]
        for (value, inside) in [
            (0x0F, false), (0x10, true), (0x20, true), (0x21, false), (0x30, true), (0x31, false),
            (0x40, true), (0x50, true), (0x51, false),
        ] as [(UInt32, Bool)] {
            let scalar = Unicode.Scalar(value).map { SASLprep.contains(table, $0) }
            #expect(scalar == inside, "0x\(String(value, radix: 16))")
        }
        #expect(!SASLprep.contains([], "a"))
    }

    /// The verifiers that PostgreSQL 15 stored for these passwords (Scripts/auth/make_pg_verifiers.py);
    /// deriving the same StoredKey and ServerKey proves the client prepares the password as the
    /// server did.
    static let postgresVerifiers: [(password: String, verifier: String)] =
        (try? AuthenticationFixtures.lines("pg15-scram-verifiers.txt"))?
        .map { $0.split(separator: " ").map(String.init) }
        .compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil } ?? []

    @Test func postgresVerifiersAreRead() {
        #expect(Self.postgresVerifiers.count == 28)
    }

    @Test(arguments: postgresVerifiers)
    func keysMatchPostgreSQL(passwordHex: String, verifier: String) throws {
        let password = try #require(AuthenticationFixtures.hex(passwordHex))
        // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
        let parts = verifier.split(whereSeparator: { "$:".contains($0) }).map(String.init)
        try #require(parts.count == 5 && parts[0] == "SCRAM-SHA-256")
        let iterations = try #require(Int(parts[1]))
        let salt = try #require(Base64.decode(Array(parts[2].utf8)))
        let keys = try SCRAMKeys(
            password: SASLprep.prepare(password), salt: salt, iterationCount: iterations)
        #expect(Base64.encode(keys.storedKey) == parts[3])
        #expect(Base64.encode(keys.serverKey) == parts[4])
    }
}
