import Foundation
import NIOCore
@testable import PGWire
import Testing

/// A value kept inline (``PGSmallValues``) is the very bytes the buffer path writes; values that
/// do not fit, types without an inline encoding and values the codecs refuse leave the inline
/// bytes as they were.
@Suite("Inline encoding of small values")
struct InlineEncodingTests {
    /// What `encodeWithLength(into:)` writes for `value` in its type's format.
    private func buffered(_ value: any PGEncodable) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try value.encodeWithLength(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    private func bytes(_ values: PGSmallValues) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    @Test func eachBuiltInSmallValueIsWrittenAsTheBufferPathWritesIt() throws {
        let small: [any PGEncodable] = [
            Int16(-2), Int16.max, Int32(7), Int32.min, Int64(-9_000_000_000), Int(42), UInt32.max,
            true, false, Float(1.5), Float.infinity, Double(-2.25), Double.greatestFiniteMagnitude,
            PGTimestamp(microsecondsSince2000: 123_456_789), PGTimestamp.infinity,
            Date(timeIntervalSince1970: 1_700_000_000.25),
            UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8") ?? UUID(),
            "", "text", "ünïcödé ✓", String(repeating: "x", count: 28),
            Int32?.none, String?.none, UUID?.none, Int64?.some(5),
        ]
        for value in small {
            var values = PGSmallValues()
            #expect(value.encodeInline(into: &values), "\(type(of: value)) \(value)")
            #expect(try bytes(values) == buffered(value), "\(type(of: value)) \(value)")
        }
    }

    @Test func valuesFollowEachOtherUntilTheNextDoesNotFit() throws {
        var values = PGSmallValues()
        let uuid = UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8") ?? UUID()
        #expect(uuid.encodeInline(into: &values))  // 20 bytes
        #expect(Int32(9).encodeInline(into: &values))  // 28
        #expect(Optional<Int64>.none.encodeInline(into: &values))  // 32: full
        #expect(values.count == PGSmallValues.capacity)
        let full = bytes(values)
        #expect(try full == buffered(uuid) + buffered(Int32(9)) + buffered(Int64?.none))
        #expect(!Optional<Int64>.none.encodeInline(into: &values))
        #expect(!true.encodeInline(into: &values))
        #expect(bytes(values) == full)
    }

    @Test func valuesThatNeverFitOrHaveNoInlineEncodingAreDeclined() {
        let declined: [any PGEncodable] = [
            String(repeating: "x", count: 29), PGNumeric.zero, [Int32(1), 2], ByteBuffer(bytes: [1, 2, 3]),
        ]
        for value in declined {
            var values = PGSmallValues()
            #expect(!value.encodeInline(into: &values), "\(type(of: value))")
            #expect(values.isEmpty, "\(type(of: value))")
        }
    }

    @Test func valuesTheCodecsRefuseAreLeftToThemToReport() throws {
        let refused: [any PGEncodable] = [
            "a\u{0}b", PGTimestamp(microsecondsSince2000: .max - 1), Date.distantFuture.addingTimeInterval(1e15),
        ]
        for value in refused {
            var values = PGSmallValues()
            #expect(!value.encodeInline(into: &values), "\(type(of: value))")
            #expect(values.isEmpty)
            var buffer = ByteBuffer()
            #expect(throws: PGEncodingError.self) { try value.encodeWithLength(into: &buffer) }
        }
    }

    @Test func equalValuesCompareAndHashEqual() {
        var first = PGSmallValues()
        var second = PGSmallValues()
        _ = Int32(1).encodeInline(into: &first)
        _ = Int32(1).encodeInline(into: &second)
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        _ = Int32(2).encodeInline(into: &second)
        #expect(first != second)
    }
}
