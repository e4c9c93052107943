/// The types of a statement's parameters, the first four stored inline.
///
/// Every query carries its parameter types (for Parse, and as part of the statement cache's
/// key); as an array they cost an allocation per query. Unused inline slots stay 0, so equal
/// lists compare and hash equal whatever was appended before. Inlinable: the connection's
/// module builds one for every query.
///
/// The inline types are two words of two OIDs each, not a `SIMD4<UInt32>`: a vector is aligned
/// to 16 bytes, and on Linux the Swift runtime allocates every object aligned to more than 8
/// bytes (a query's pending result, the pipeline's request in flight) with `posix_memalign`
/// rather than `malloc`.
@usableFromInline
package struct PGParameterTypes: Sendable, Hashable, RandomAccessCollection {
    /// Types 0 and 1 (low and high 32 bits), then types 2 and 3.
    @usableFromInline var inline: (UInt64, UInt64) = (0, 0)
    /// The types after the fourth.
    @usableFromInline var overflow: [PGDataType] = []
    @usableFromInline package internal(set) var count = 0

    @inlinable package init() {}

    @inlinable package var startIndex: Int { 0 }
    @inlinable package var endIndex: Int { count }

    @inlinable package subscript(position: Int) -> PGDataType {
        guard position < 4 else { return overflow[position - 4] }
        let word = position < 2 ? inline.0 : inline.1
        return PGDataType(UInt32(truncatingIfNeeded: word >> (32 * UInt64(position & 1))))
    }

    @usableFromInline package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.inline == rhs.inline && lhs.count == rhs.count && lhs.overflow == rhs.overflow
    }

    /// Hashes the inline types as their two words. Equal lists hash equal, as unused slots are 0.
    @usableFromInline package func hash(into hasher: inout Hasher) {
        hasher.combine(inline.0)
        hasher.combine(inline.1)
        hasher.combine(count)
        if !overflow.isEmpty { hasher.combine(overflow) }
    }

    @inlinable package mutating func append(_ type: PGDataType) {
        if count < 4 {
            let bits = UInt64(type.rawValue) << (32 * UInt64(count & 1))
            if count < 2 { inline.0 |= bits } else { inline.1 |= bits }
        } else {
            overflow.append(type)
        }
        count += 1
    }
}
