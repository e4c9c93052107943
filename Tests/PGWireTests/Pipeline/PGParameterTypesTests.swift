@testable import PGWire
import Testing

/// A statement's parameter types: the first four kept in two words, the rest in an array.
@Suite("Parameter types")
struct PGParameterTypesTests {
    static let six: [PGDataType] = [.int4, .text, .int8, .uuid, .timestamptz, .bool]

    static func types(_ list: [PGDataType]) -> PGParameterTypes {
        var types = PGParameterTypes()
        for type in list { types.append(type) }
        return types
    }

    @Test(arguments: 0...6)
    func theTypesReadBackInOrder(count: Int) {
        let list = Array(Self.six.prefix(count))
        let types = Self.types(list)
        #expect(types.count == count)
        #expect(Array(types) == list)
    }

    @Test func listsCompareAndHashByTheirTypes() {
        let a = Self.types(Self.six)
        #expect(a == Self.types(Self.six))
        #expect(a.hashValue == Self.types(Self.six).hashValue)
        // A different type in each inline slot and in the overflow, and a shorter list.
        for index in Self.six.indices {
            var other = Self.six
            other[index] = .float8
            #expect(a != Self.types(other))
        }
        #expect(Self.types([.int4]) != Self.types([.int4, .int4]))
        #expect(Self.types([]) == PGParameterTypes())
    }

    /// Aligned as a word: on Linux the Swift runtime allocates an object aligned to more than
    /// 8 bytes (the pipeline's request in flight holds the types) with `posix_memalign`.
    @Test func theTypesAndARequestAreAlignedAsAWord() {
        #expect(MemoryLayout<PGParameterTypes>.alignment <= 8)
        #expect(MemoryLayout<StatementSpec>.alignment <= 8)
        #expect(MemoryLayout<PipelineRequest>.alignment <= 8)
    }
}
