import Foundation
import NIOCore
import Testing

@testable import PGWire

/// Fixtures are (text output, `range_send`/`multirange_send` bytes) from PostgreSQL 15.
@Suite("Range and multirange codecs")
struct RangeCodecTests {
    @Test(arguments: [
        ("[1,10)", "020000000400000001000000040000000a"), ("empty", "01"),
        ("(,6)", "080000000400000006"), ("[3,)", "120000000400000003"), ("(,)", "18"),
    ])
    func int4range(text: String, binary: String) throws {
        try expectServerFixture(PGRange<Int32>.self, .int4range, text: text, binary: binary, textIsCanonical: false)
    }

    @Test func otherRangeTypes() throws {
        try expectServerFixture(
            PGRange<Int64>.self, .int8range, text: "[1,10)",
            binary: "0200000008000000000000000100000008000000000000000a", textIsCanonical: false)
        try expectServerFixture(
            PGRange<PGNumeric>.self, .numrange, text: "(1.5,2.25]",
            binary: "040000000c0002000000000001000113880000000c0002000000000002000209c4", textIsCanonical: false)
        try expectServerFixture(
            PGRange<PGDate>.self, .daterange, text: "[2026-01-05,2026-01-12)",
            binary: "02000000040000251d0000000400002524", textIsCanonical: false)
        try expectServerFixture(
            PGRange<PGTimestamp>.self, .tstzrange, text: #"["2026-01-05 10:00:00+00","2026-01-05 11:30:00+00")"#,
            binary: "02000000080002ea9fe40a4800000000080002eaa125e7be00", textIsCanonical: false)
        // A tsrange reads into the same Swift type.
        let open = try decoded(PGRange<PGTimestamp>.self, bytes(hex: "12000000080002ea9fe40a4800"), .tsrange, .binary)
        #expect(open.upper == .unbounded)
        #expect(open.lower.isInclusive)
    }

    @Test func multirange() throws {
        try expectServerFixture(
            PGMultirange<Int32>.self, .int4multirange, text: "{[1,3),[5,8)}",
            binary: "00000002000000110200000004000000010000000400000003000000110200000004000000050000000400000008",
            textIsCanonical: false)
        try expectServerFixture(PGMultirange<Int32>.self, .int4multirange, text: "{}", binary: "00000000")
        #expect(try encodedText(PGMultirange<Int32>([PGRange(1..<3), .empty])) == #"{["1","3"),empty}"#)
    }

    @Test func swiftRangesAndText() throws {
        #expect(PGRange<Int32>(1..<10) == PGRange(lower: .inclusive(1), upper: .exclusive(10)))
        #expect(PGRange<Int32>(1...9).upper == .inclusive(9))
        #expect(PGRange<Int32>(5...).upper == .unbounded)
        #expect(PGRange<Int32>(..<5).lower == .unbounded)
        #expect(try encodedText(PGRange<Int32>(1..<10)) == #"["1","10")"#)
        #expect(try encodedText(PGRange<Int32>.empty) == "empty")
        #expect(try encodedText(PGRange<Int32>(..<5)) == #"(,"5")"#)
        #expect(PGRange<Int32>(1..<10).description == "[1,10)")
        // Quoted bounds with escapes, spaces and the case of `empty` as range_in reads them.
        #expect(try decoded(PGRange<Int32>.self, text: #" ["1","1\0") "#, .int4range) == PGRange(1..<10))
        #expect(try decoded(PGRange<Int32>.self, text: "EMPTY", .int4range) == .empty)
        #expect(try decoded(PGRange<Int32>.self, text: "[,5]", .int4range) == PGRange(lower: .unbounded, upper: .inclusive(5)))
    }

    @Test(
        "bad ranges are refused",
        arguments: ["", "[1,2", "1,2)", "[1;2)", "[1,2)x", "[a,2)", #"["1,2)"#, "{[1,2)", "[1,2,3)"])
    func badText(text: String) {
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(PGRange<Int32>.self, text: text, .int4range) }), "\(text)")
    }

    @Test func badBinary() {
        // Unknown flags, a truncated bound, bytes after the value, a multirange count beyond its bytes.
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(PGRange<Int32>.self, bytes(hex: "40"), .int4range, .binary) }))
        #expect(isInvalidLength(decodingErrorKind { _ = try decoded(PGRange<Int32>.self, bytes(hex: "020000000400"), .int4range, .binary) }))
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(PGRange<Int32>.self, bytes(hex: "0100"), .int4range, .binary) }))
        #expect(isInvalidValue(decodingErrorKind { _ = try decoded(PGMultirange<Int32>.self, bytes(hex: "7fffffff"), .int4multirange, .binary) }))
        // Not a range type at all, or a range of another subtype.
        #expect(decodingErrorKind { _ = try decoded(PGRange<Int32>.self, bytes(hex: "01"), .int4, .binary) }
            == .typeMismatch(expected: [.int4range], actual: .int4))
        #expect(decodingErrorKind { _ = try decoded(PGRange<Int32>.self, bytes(hex: "18"), .tstzrange, .binary) } == nil)
        #expect(decodingErrorKind { _ = try decoded(PGRange<Int32>.self, bytes(hex: "02000000080002ea9fe40a4800000000080002eaa125e7be00"), .tstzrange, .binary) }
            == .typeMismatch(expected: [.int4, .int2], actual: .timestamptz))
    }

    @Test func typeNames() {
        #expect(PGDataType.int4range.description == "int4range")
        #expect(PGDataType.tstzmultirangeArray.description == "_tstzmultirange")
        #expect(PGDataType.int4range.arrayType == .int4rangeArray)
        #expect(PGDataType.nummultirange.multirangeRange == .numrange)
        #expect(PGRange<Date>.pgDataType == .tstzrange)
        #expect(PGMultirange<Int>.pgDataType == .int8multirange)
    }
}
