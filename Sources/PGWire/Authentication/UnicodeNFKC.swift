/// Unicode Normalization Form KC (UAX #15) for SASLprep: compatibility decomposition, canonical
/// ordering, canonical composition.
///
/// Neither the Swift 6.3 standard library nor FoundationEssentials offers NFKC on Linux (only full
/// Foundation does, through ICU), so this carries its own tables (``UnicodeNFKCTables``, Unicode
/// 14.0 like PostgreSQL 15) and computes Hangul syllables by the algorithm of Unicode §3.12.
enum UnicodeNFKC {
    /// The UTF-8 bytes of the NFKC form of a sequence of scalars.
    static func utf8(normalizing scalars: [Unicode.Scalar]) -> [UInt8] {
        var output: [UInt8] = []
        for value in normalize(scalars.map(\.value)) {
            if let scalar = Unicode.Scalar(value) {
                output.append(contentsOf: UTF8.encode(scalar).map(Array.init) ?? [])
            }
        }
        return output
    }

    /// The NFKC form of a sequence of code points.
    static func normalize(_ input: [UInt32]) -> [UInt32] {
        let data = Data.shared
        var decomposed: [UInt32] = []
        decomposed.reserveCapacity(input.count)
        for value in input {
            if let hangul = Hangul.decompose(value) {
                decomposed += hangul
            } else if let mapping = data.decompositions[value] {
                decomposed += mapping
            } else {
                decomposed.append(value)
            }
        }
        reorder(&decomposed, data)
        return compose(decomposed, data)
    }

    /// Canonical ordering: a stable sort of every run of non-starters by combining class.
    private static func reorder(_ values: inout [UInt32], _ data: Data) {
        var index = 1
        while index < values.count {
            let combiningClass = data.combiningClass(values[index])
            var position = index
            while combiningClass != 0, position > 0,
                data.combiningClass(values[position - 1]) > combiningClass
            {
                values.swapAt(position, position - 1)
                position -= 1
            }
            index += 1
        }
    }

    /// Canonical composition: each character joins the last starter unless a character between
    /// them has a combining class of zero or not below its own (it is "blocked").
    private static func compose(_ values: [UInt32], _ data: Data) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(values.count)
        var starterIndex: Int?
        var lastClass: UInt8 = 0
        for value in values {
            let combiningClass = data.combiningClass(value)
            if let starterIndex {
                let isAdjacent = starterIndex == result.count - 1
                if isAdjacent || lastClass < combiningClass,
                    let composite = Hangul.compose(result[starterIndex], value)
                        ?? data.compositions[UInt64(result[starterIndex]) << 32 | UInt64(value)]
                {
                    result[starterIndex] = composite
                    continue
                }
            }
            if combiningClass == 0 {
                starterIndex = result.count
            }
            lastClass = combiningClass
            result.append(value)
        }
        return result
    }

    /// The parsed tables, built once on first use.
    struct Data: Sendable {
        static let shared = Data()

        var decompositions: [UInt32: [UInt32]] = [:]
        var combiningClasses: [UInt32: UInt8] = [:]
        var compositions: [UInt64: UInt32] = [:]

        init() {
            for entry in Self.entries(UnicodeNFKCTables.decompositions) {
                if let key = entry.first?.first {
                    decompositions[key] = entry.dropFirst().first ?? []
                }
            }
            for entry in Self.entries(UnicodeNFKCTables.combiningClasses) {
                // `FIRST-LAST:CLASS` arrives as [[FIRST, LAST], [CLASS]], `CODE:CLASS` as [[CODE], [CLASS]].
                guard let range = entry.first, let first = range.first, let last = range.last,
                    let klass = entry.last?.first
                else { continue }
                for value in first...last {
                    combiningClasses[value] = UInt8(truncatingIfNeeded: klass)
                }
            }
            for entry in Self.entries(UnicodeNFKCTables.compositions) {
                if let pair = entry.first, pair.count == 2, let composite = entry.last?.first {
                    compositions[UInt64(pair[0]) << 32 | UInt64(pair[1])] = composite
                }
            }
        }

        func combiningClass(_ value: UInt32) -> UInt8 {
            combiningClasses[value] ?? 0
        }

        /// Splits `A B:C D,` entries into their parts: `[[A, B], [C, D]]`. A `-` separates numbers
        /// like a space does.
        static func entries(_ text: String) -> [[[UInt32]]] {
            var entries: [[[UInt32]]] = []
            var parts: [[UInt32]] = []
            var numbers: [UInt32] = []
            var number: UInt32?
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    number = (number ?? 0) << 4 | UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "A")...UInt8(ascii: "F"):
                    number = (number ?? 0) << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
                case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: ","):
                    if let value = number { numbers.append(value) }
                    number = nil
                    if byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") {
                        parts.append(numbers)
                        numbers = []
                    }
                    if byte == UInt8(ascii: ",") {
                        entries.append(parts)
                        parts = []
                    }
                default:
                    break  // line breaks
                }
            }
            return entries
        }
    }

    /// Hangul syllables, decomposed and composed arithmetically (Unicode §3.12).
    enum Hangul {
        static let syllableBase: UInt32 = 0xAC00
        static let leadingBase: UInt32 = 0x1100
        static let vowelBase: UInt32 = 0x1161
        static let trailingBase: UInt32 = 0x11A7
        static let leadingCount: UInt32 = 19
        static let vowelCount: UInt32 = 21
        static let trailingCount: UInt32 = 28
        static let syllableCount: UInt32 = leadingCount * vowelCount * trailingCount

        static func decompose(_ value: UInt32) -> [UInt32]? {
            guard value >= syllableBase, value - syllableBase < syllableCount else { return nil }
            let index = value - syllableBase
            let leading = leadingBase + index / (vowelCount * trailingCount)
            let vowel = vowelBase + index % (vowelCount * trailingCount) / trailingCount
            let trailing = index % trailingCount
            return trailing == 0 ? [leading, vowel] : [leading, vowel, trailingBase + trailing]
        }

        static func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
            if first >= leadingBase, first - leadingBase < leadingCount,
                second >= vowelBase, second - vowelBase < vowelCount
            {
                return syllableBase + ((first - leadingBase) * vowelCount + second - vowelBase)
                    * trailingCount
            }
            if first >= syllableBase, first - syllableBase < syllableCount,
                (first - syllableBase) % trailingCount == 0,
                second > trailingBase, second - trailingBase < trailingCount
            {
                return first + second - trailingBase
            }
            return nil
        }
    }
}
