/// The types of a statement's parameters, the first four stored inline.
///
/// Every query carries its parameter types (for Parse, and as part of the statement cache's
/// key); as an array they cost an allocation per query. Unused inline slots stay 0, so equal
/// lists compare and hash equal whatever was appended before. Inlinable: the connection's
/// module builds one for every query.
package struct PGParameterTypes: Sendable, Hashable, RandomAccessCollection {
    @usableFromInline var inline = SIMD4<UInt32>()
    /// The types after the fourth.
    @usableFromInline var overflow: [PGDataType] = []
    @usableFromInline package internal(set) var count = 0

    @inlinable package init() {}

    @inlinable package var startIndex: Int { 0 }
    @inlinable package var endIndex: Int { count }

    @inlinable package subscript(position: Int) -> PGDataType {
        position < 4 ? PGDataType(inline[position]) : overflow[position - 4]
    }

    /// Hashes the inline types as two words: the synthesized hashing combined the vector's
    /// lanes one at a time through generic code, the larger part of a statement cache lookup.
    /// Equal lists hash equal, as unused slots are 0.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(inline[0]) | UInt64(inline[1]) << 32)
        hasher.combine(UInt64(inline[2]) | UInt64(inline[3]) << 32)
        hasher.combine(count)
        if !overflow.isEmpty { hasher.combine(overflow) }
    }

    @inlinable package mutating func append(_ type: PGDataType) {
        if count < 4 {
            inline[count] = type.rawValue
        } else {
            overflow.append(type)
        }
        count += 1
    }
}
