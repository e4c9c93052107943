import NIOCore
import Testing

@testable import PGWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("numeric")
struct NumericTests {
    /// (input literal, server text output, server `numeric_send` bytes) captured from
    /// PostgreSQL 15 with `SELECT $1::numeric::text, numeric_send($1::numeric)`.
    static let serverFixtures: [(String, String, String)] = [
        ("0", "0", "0000000000000000"),
        ("0.00", "0.00", "0000000000000002"),
        ("-0.00", "0.00", "0000000000000002"),
        ("1", "1", "00010000000000000001"),
        ("-1", "-1", "00010000400000000001"),
        ("12.30", "12.30", "0002000000000002000c0bb8"),
        ("0.01", "0.01", "0001ffff000000020064"),
        ("-99999999999.99", "-99999999999.99", "000400024000000203e7270f270f26ac"),
        ("99999999999.99", "99999999999.99", "000400020000000203e7270f270f26ac"),
        ("10000", "10000", "00010001000000000001"),
        ("9999", "9999", "0001000000000000270f"),
        ("0.0001", "0.0001", "0001ffff000000040001"),
        ("0.00001", "0.00001", "0001fffe0000000503e8"),
        ("123456789.123456789", "123456789.123456789", "0006000200000009000109291a8504d2162e2328"),
        ("-1.5e-10", "-0.00000000015", "0001fffd4000000b0096"),
        (
            "3.14159265358979323846264338327950288419716939937510",
            "3.14159265358979323846264338327950288419716939937510",
            "000e0000000000320003058724310e051efc0f060a530ef81f0e0b4407b31b1b249f03e8"
        ),
        ("100000000", "100000000", "00010002000000000001"),
        ("0.1000", "0.1000", "0001ffff0000000403e8"),
        ("1000.0001", "1000.0001", "000200000000000403e80001"),
        ("-0.000000001", "-0.000000001", "0001fffd4000000903e8"),
        (
            "12345678901234567890123456789012345678", "12345678901234567890123456789012345678",
            "000a000900000000000c0d801ed204d2162e23340d801ed204d2162e"
        ),
        ("NaN", "NaN", "00000000c0000000"),
        (" 1.5e3 ", "1500", "000100000000000005dc"),
        ("1.50e-3", "0.00150", "0001ffff00000005000f"),
        ("00012.3400", "12.3400", "0002000000000004000c0d48"),
        (".5", "0.5", "0001ffff000000011388"),
        ("5.", "5", "00010000000000000005"),
    ]

    @Test("parses as the server does and prints the server's text", arguments: serverFixtures)
    func textMatchesServer(input: String, output: String, binary: String) throws {
        let value = try #require(PGNumeric(input))
        #expect(value.description == output)
        #expect(try encodedText(value) == output)
    }

    @Test("encodes to the server's numeric_send bytes", arguments: serverFixtures)
    func binaryMatchesServer(input: String, output: String, binary: String) throws {
        let value = try #require(PGNumeric(input))
        #expect(hex(try encoded(value, .binary)) == binary)
    }

    @Test("decodes the server's bytes to the server's text", arguments: serverFixtures)
    func decodesServerBytes(input: String, output: String, binary: String) throws {
        let value = try decoded(PGNumeric.self, bytes(hex: binary), .numeric, .binary)
        #expect(value.description == output)
        let fromText = try decoded(PGNumeric.self, text: output, .numeric)
        #expect(fromText == value)
        #expect(fromText.scale == value.scale)
    }

    @Test("infinities: the server's bytes carry a stray scale that is ignored")
    func infinities() throws {
        let positive = try decoded(
            PGNumeric.self, bytes(hex: "00000000d0000020"), .numeric, .binary)
        let negative = try decoded(
            PGNumeric.self, bytes(hex: "00000000f0000020"), .numeric, .binary)
        #expect(positive == .infinity && positive.description == "Infinity")
        #expect(negative == .negativeInfinity && negative.description == "-Infinity")
        #expect(hex(try encoded(PGNumeric.infinity, .binary)) == "00000000d0000000")
        #expect(hex(try encoded(PGNumeric.negativeInfinity, .binary)) == "00000000f0000000")
        for spelling in ["inf", "+Infinity", "INFINITY"] {
            #expect(PGNumeric(spelling) == .infinity)
        }
        for spelling in ["-inf", "-Infinity"] { #expect(PGNumeric(spelling) == .negativeInfinity) }
        #expect(PGNumeric("nan") == .nan)
        #expect(PGNumeric("+nan") == nil)
        #expect(PGNumeric.nan == PGNumeric.nan)
    }

    @Test("the extremes the server can store round-trip in both formats")
    func extremes() throws {
        // 1e-16383: the smallest positive value, scale 16383 (server bytes captured).
        let tiny = try #require(PGNumeric("1e-16383"))
        #expect(tiny.scale == 16383)
        #expect(hex(try encoded(tiny, .binary)) == "0001f00000003fff000a")
        #expect(tiny.description == "0." + String(repeating: "0", count: 16382) + "1")
        // 10^131071: 131072 digits before the point, weight 32767.
        let huge = try #require(PGNumeric("1e131071"))
        #expect(hex(try encoded(huge, .binary)) == "00017fff0000000003e8")
        let hugeText = "1" + String(repeating: "0", count: 131071)
        #expect(huge.description == hugeText)
        for value in [tiny, huge, -tiny] {
            let binary = try decoded(PGNumeric.self, try encoded(value, .binary), .numeric, .binary)
            let text = try decoded(PGNumeric.self, try encoded(value, .text), .numeric, .text)
            #expect(binary == value && binary.scale == value.scale)
            #expect(text == value && text.description == value.description)
        }
        // One step further is what the server refuses with "value overflows numeric format".
        #expect(PGNumeric("1e-16384") == nil)
        #expect(PGNumeric("0e-20000") == nil)
        #expect(PGNumeric("1e131072") == nil)
        #expect(PGNumeric("1e99999999999") == nil)
        #expect(PGNumeric("0e1000000")?.description == "0")
    }

    @Test(
        "money values round-trip exactly",
        arguments: [
            "0.01", "-0.01", "-99999999999.99", "99999999999.99", "1234567.89", "0.00", "100.10",
            "-0.50", "1e-2", "922337203685477.58",
        ])
    func money(text: String) throws {
        let value = try #require(PGNumeric(text))
        let viaBinary = try decoded(PGNumeric.self, try encoded(value, .binary), .numeric, .binary)
        #expect(viaBinary.description == value.description)
        let decimal = try #require(Decimal(exactly: value))
        #expect(PGNumeric(decimal) == value)
        #expect(
            try decoded(Decimal.self, try encoded(decimal, .binary), .numeric, .binary) == decimal)
        #expect(try decoded(Decimal.self, try encoded(decimal, .text), .numeric, .text) == decimal)
    }

    @Test("Decimal conversion is exact or refused")
    func decimalConversion() throws {
        #expect(Decimal(exactly: try #require(PGNumeric("0.01"))) == Decimal(string: "0.01"))
        #expect(PGNumeric(try #require(Decimal(string: "12.30"))) == PGNumeric("12.3"))
        #expect(
            PGNumeric(try #require(Decimal(string: "-1e20"))).description
                == "-100000000000000000000")
        let thirtyEight = String(repeating: "9", count: 38)
        #expect(
            Decimal(exactly: try #require(PGNumeric(thirtyEight))) == Decimal(string: thirtyEight))
        #expect(Decimal(exactly: try #require(PGNumeric(thirtyEight + "9"))) == nil)
        #expect(Decimal(exactly: try #require(PGNumeric("1e-200"))) == nil)
        #expect(Decimal(exactly: .infinity) == nil)
        #expect(Decimal(exactly: .nan)?.isNaN == true)
        #expect(PGNumeric(Decimal.nan) == .nan)
        let kind = decodingErrorKind { _ = try decoded(Decimal.self, text: "1e-200", .numeric) }
        #expect(isInvalidValue(kind))
    }

    @Test("equality ignores scale; description keeps it")
    func equality() throws {
        let one = try #require(PGNumeric("1.0"))
        let oneHundredths = try #require(PGNumeric("1.00"))
        #expect(one == oneHundredths)
        #expect(one.hashValue == oneHundredths.hashValue)
        #expect(one.description != oneHundredths.description)
        #expect(PGNumeric("-0") == PGNumeric.zero)
        #expect(PGNumeric(-42).description == "-42")
        let literal: PGNumeric = 10_000
        #expect(hex(try encoded(literal, .binary)) == "00010001000000000001")
    }

    @Test(
        "rejects text that is not a number",
        arguments: [
            "", " ", "abc", "1_000", "0x10", "1e", "1e+", "--1", "1.2.3", ".", "+", "1 2", "NaNx",
            "e5",
        ])
    func rejectsBadText(text: String) {
        #expect(PGNumeric(text) == nil)
        let kind = decodingErrorKind { _ = try decoded(PGNumeric.self, text: text, .numeric) }
        #expect(isInvalidValue(kind))
    }

    @Test(
        "rejects hostile binary with the right error",
        arguments: [
            ("000100000000000027 10", "digit 10000"),
            ("00010000000000008000", "negative digit"),
            ("0000000012340000", "bad sign"),
            ("0000000000004000", "scale 16384"),
            ("00000000c000ffff", "scale 65535"),
            ("0001ffff000000010001", "digit hidden by scale"),
        ])
    func rejectsBadBinary(binary: String, label: String) {
        let kind = decodingErrorKind {
            _ = try decoded(PGNumeric.self, bytes(hex: binary), .numeric, .binary)
        }
        #expect(isInvalidValue(kind), "\(label)")
    }

    @Test(
        "rejects short or long binary",
        arguments: ["", "000000", "0002000000000000 0001", "00000000000000000000"])
    func rejectsBadLength(binary: String) {
        let kind = decodingErrorKind {
            _ = try decoded(PGNumeric.self, bytes(hex: binary), .numeric, .binary)
        }
        #expect(isInvalidLength(kind))
    }

    @Test("leading and trailing zero digits from a peer are normalized")
    func normalizesDigits() throws {
        // 0000.0001|0000 with weight 1: the value 0.0001 written wastefully.
        let value = try decoded(
            PGNumeric.self, bytes(hex: "0004 0001 0000 0004 0000 0000 0001 0000"), .numeric, .binary
        )
        #expect(value.description == "0.0001")
        #expect(hex(try encoded(value, .binary)) == "0001ffff000000040001")
    }

    @Test("NULL and the wrong type are typed errors naming the column")
    func nullAndMismatch() throws {
        do {
            _ = try PGNumeric.decode(
                from: nil, type: .numeric, format: .binary, columnName: "amount", columnIndex: 3)
            Issue.record("NULL decoded into a non-optional")
        } catch {
            #expect(error.kind == .unexpectedNull)
            #expect(error.columnName == "amount" && error.columnIndex == 3)
            #expect(error.description.contains("amount"))
        }
        #expect(
            try PGNumeric?.decode(
                from: nil, type: .numeric, format: .binary, columnName: "a", columnIndex: 0) == nil)
        let kind = decodingErrorKind {
            _ = try decoded(PGNumeric.self, bytes(hex: "00000001"), .int4, .binary)
        }
        #expect(kind == .typeMismatch(expected: [.numeric], actual: .int4))
    }

    @Test(arguments: [
        (Int64(12_345), 2, "123.45"), (5, 2, "0.05"), (-5, 3, "-0.005"), (0, 2, "0.00"), (100, 2, "1.00"),
        (Int64.max, 0, "9223372036854775807"), (Int64.min, 2, "-92233720368547758.08"), (7, 20, "0.00000000000000000007"),
    ])
    func minorUnitsAreExact(minorUnits: Int64, scale: Int, expected: String) throws {
        let value = try #require(PGNumeric(minorUnits: minorUnits, scale: scale))
        #expect(value == PGNumeric(expected))
        #expect(value.description == expected)
        #expect(value.scale == scale)
    }

    /// The groups made from the integer are the ones parsing the same value's text makes: the
    /// digits, the weight of the first and the display scale, for every alignment of the scale
    /// on the groups' four digits.
    @Test func minorUnitsMakeTheDigitsTheirTextMakes() throws {
        var generator = SystemRandomNumberGenerator()
        var values: [Int64] = [0, 1, -1, 9, 10, 9_999, 10_000, 10_001, 100_000_000, 123_400, Int64.max, Int64.min, Int64.min + 1]
        for _ in 0..<200 { values.append(Int64.random(in: Int64.min...Int64.max, using: &generator)) }
        for _ in 0..<200 { values.append(Int64.random(in: -1_000_000...1_000_000, using: &generator)) }
        for value in values {
            for scale in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 17, 19, 20, 21, 25, 40, PGNumeric.maximumScale] {
                let made = try #require(PGNumeric(minorUnits: value, scale: scale))
                let text = Self.decimalText(minorUnits: value, scale: scale)
                let parsed = try #require(PGNumeric(text), "\(text)")
                #expect(made.sign == parsed.sign, "\(text)")
                #expect(made.digits == parsed.digits, "\(text)")
                #expect(made.weight == parsed.weight, "\(text)")
                #expect(made.dscale == parsed.dscale, "\(text)")
                if scale < 100 { #expect(made.description == text) }
            }
        }
    }

    /// `minorUnits / 10^scale` written out with `scale` digits after the point.
    private static func decimalText(minorUnits: Int64, scale: Int) -> String {
        var digits = String(minorUnits.magnitude)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let sign = minorUnits < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return sign + digits[..<point] + "." + digits[point...]
    }

    @Test func minorUnitsRefuseAScaleOutsidePostgreSQLsLimits() {
        #expect(PGNumeric(minorUnits: 1, scale: -1) == nil)
        #expect(PGNumeric(minorUnits: 1, scale: PGNumeric.maximumScale + 1) == nil)
        #expect(PGNumeric(minorUnits: 1, scale: PGNumeric.maximumScale) != nil)
    }
}

prefix func - (value: PGNumeric) -> PGNumeric {
    PGNumeric("-" + value.description) ?? value
}
