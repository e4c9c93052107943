import Foundation
import NIOCore
@testable import PGClient
import PGWire
import Testing

/// A statement's values are kept inline while they fit and move to a buffer at the first that
/// does not; either way Bind gets the same bytes, and the lists compare by what they hold.
@Suite("Bindings kept inline or in a buffer")
struct PGBindingsTests {
    /// `int4` with no inline encoding: what a type that does not take part sends.
    struct BufferedInt4: PGEncodable {
        let value: Int32
        static var pgDataType: PGDataType { .int4 }
        func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
            buffer.writeInteger(value)
        }
    }

    /// The bytes of every value's `encodeWithLength(into:)`, one after another.
    private func encoded(_ values: [any PGEncodable]) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        for value in values { try value.encodeWithLength(into: &buffer) }
        return buffer
    }

    private func bound(_ values: [any PGEncodable]) throws -> PGBindings {
        var bindings = PGBindings()
        for value in values { try bindings.append(value) }
        return bindings
    }

    private func isInline(_ bindings: PGBindings) -> Bool {
        if case .inline = bindings.encodedValues { return true }
        return false
    }

    @Test func smallValuesStayInline() throws {
        let values: [any PGEncodable] = [Int64(7), Int32?.none, true, "ok"]
        let bindings = try bound(values)
        #expect(isInline(bindings))
        #expect(try bindings.bytes == encoded(values))
        #expect(bindings.encodedValues.count == bindings.bytes.readableBytes)
        #expect(bindings.dataTypes == [.int8, .int4, .bool, .text])
    }

    @Test(arguments: [0, 1, 3])
    func theFirstValueThatDoesNotFitMovesThemAllToABuffer(before: Int) throws {
        let first: [any PGEncodable] = (0..<before).map { Int32($0) }
        let values: [any PGEncodable] = first + [PGNumeric("12.5") ?? .nan, Int32(9), UUID(), "after"]
        let bindings = try bound(values)
        #expect(!isInline(bindings))
        #expect(try bindings.bytes == encoded(values))
        #expect(bindings.count == values.count)
    }

    @Test func aValueTooLargeForWhatIsLeftMovesThemToo() throws {
        let values: [any PGEncodable] = [UUID(), UUID(), Int16(1)]
        let bindings = try bound(values)
        #expect(!isInline(bindings))
        #expect(try bindings.bytes == encoded(values))
    }

    @Test func listsHoldingTheSameValuesAreEqualWhereverTheyKeepThem() throws {
        let inline = try bound([Int32(5)])
        let buffered = try bound([BufferedInt4(value: 5)])
        #expect(isInline(inline))
        #expect(!isInline(buffered))
        #expect(inline == buffered)
        #expect(inline.hashValue == buffered.hashValue)
        #expect(try inline != bound([Int32(6)]))
    }

    @Test func aValueThatCannotBeEncodedIsReportedAndAddsNothing() throws {
        var bindings = try bound([Int32(1)])
        #expect { try bindings.append("a\u{0}b") } throws: { ($0 as? PGError)?.kind == .encoding }
        #expect(bindings.count == 1)
        #expect(try bindings.bytes == encoded([Int32(1)]))
        try bindings.append(Int32(2))
        #expect(try bindings.bytes == encoded([Int32(1), Int32(2)]))
    }

    /// A query and its values are aligned as a word is: on Linux the Swift runtime allocates an
    /// object aligned to more than 8 bytes (the query's pending result holds them) with
    /// `posix_memalign`, which costs more than `malloc`.
    @Test func aQueryIsAlignedAsAWord() {
        #expect(MemoryLayout<PGSmallValues>.alignment <= 8)
        #expect(MemoryLayout<PGBindings>.alignment <= 8)
        #expect(MemoryLayout<PGQuery>.alignment <= 8)
    }
}
