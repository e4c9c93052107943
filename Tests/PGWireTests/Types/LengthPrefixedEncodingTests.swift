import Foundation
import NIOCore
@testable import PGWire
import Testing

/// The types that write their length and value together (rather than a placeholder set
/// afterwards) write exactly what the general path writes, and nothing when they fail.
@Suite("Length-prefixed encoding")
struct LengthPrefixedEncodingTests {
    static let values: [any PGEncodable] = [
        Int16(-2), Int16.max, Int32(7), Int32.min, Int64(-9_000_000_000), Int(42), UInt32.max,
        true, false, Float(1.5), Float.infinity, Double(-2.25), Double.nan, Double.greatestFiniteMagnitude,
        PGTimestamp(microsecondsSince2000: 123_456_789), PGTimestamp(microsecondsSince2000: -1),
        Date(timeIntervalSince1970: 1_700_000_000.25),
        UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8") ?? UUID(),
        PGNumeric.zero, PGNumeric.nan, PGNumeric.infinity, PGNumeric.negativeInfinity,
        PGNumeric(minorUnits: -1_234_567_89, scale: 2) ?? .nan, PGNumeric("0.000001") ?? .nan,
        PGNumeric("123456789012345678901234567890.5") ?? .nan,
        "", "text", "ünïcödé ✓", String(repeating: "x", count: 70_000),
    ]

    @Test(arguments: [PGFormat.binary, .text])
    func writesWhatTheGeneralPathWrites(format: PGFormat) throws {
        for value in Self.values {
            var direct = ByteBuffer(string: "prefix")
            try value.encodeWithLength(into: &direct, format: format)
            var general = ByteBuffer(string: "prefix")
            try value.encodeMeasuringLength(into: &general, format: format)
            #expect(direct == general, "\(type(of: value)) \(value) in \(format)")

            var bare = ByteBuffer()
            try value.encode(into: &bare, format: format)
            var expected = ByteBuffer(string: "prefix")
            expected.writeInteger(Int32(bare.readableBytes))
            expected.writeImmutableBuffer(bare)
            #expect(direct == expected, "\(type(of: value)) \(value) in \(format)")
        }
    }

    @Test(arguments: [PGFormat.binary, .text])
    func aValueThatCannotBeSentLeavesTheBufferAsItWas(format: PGFormat) {
        let refused: [any PGEncodable] = [
            "a\u{0}b", PGTimestamp(microsecondsSince2000: .max - 1), Date.distantFuture.addingTimeInterval(1e15),
        ]
        for value in refused {
            var buffer = ByteBuffer(string: "prefix")
            #expect(throws: PGEncodingError.self) { try value.encodeWithLength(into: &buffer, format: format) }
            #expect(buffer == ByteBuffer(string: "prefix"), "\(type(of: value)) in \(format)")
        }
    }
}
