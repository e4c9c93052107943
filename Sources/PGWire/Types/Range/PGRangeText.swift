/// The text form of ranges and multiranges, as `range_out` and `multirange_out` print them and
/// `range_in` and `multirange_in` read them: `empty`, `[1,10)`, `(,"2026-01-01 00:00:00+00"]`,
/// `{[1,3),[5,8)}`. A bound is unbounded when nothing stands for it; a quoted bound may hold
/// anything, with `\x` and `""` standing for `x` and `"`.
struct PGRangeText {
    /// A range's parts, its bounds still text.
    struct Parts: Equatable {
        var isEmpty = false
        var lower: [UInt8]?
        var lowerInclusive = false
        var upper: [UInt8]?
        var upperInclusive = false
    }

    /// Why text is not a range.
    struct Failure: Error {
        var reason: String
    }

    private var scanner: PGTextScanner

    init(_ bytes: [UInt8]) { scanner = PGTextScanner(bytes) }

    /// Parses the whole text as one range.
    static func parseRange(_ bytes: [UInt8]) throws(Failure) -> Parts {
        var text = PGRangeText(bytes)
        let parts = try text.range()
        text.skipSpace()
        guard text.scanner.isAtEnd else { throw Failure(reason: "unexpected text after the range") }
        return parts
    }

    /// Parses the whole text as a multirange: `{}` or `{range,range,…}`.
    static func parseMultirange(_ bytes: [UInt8]) throws(Failure) -> [Parts] {
        var text = PGRangeText(bytes)
        text.skipSpace()
        guard text.scanner.skip(UInt8(ascii: "{")) else { throw Failure(reason: "a multirange starts with '{'") }
        var ranges: [Parts] = []
        text.skipSpace()
        if !text.scanner.skip(UInt8(ascii: "}")) {
            while true {
                ranges.append(try text.range())
                text.skipSpace()
                if text.scanner.skip(UInt8(ascii: "}")) { break }
                guard text.scanner.skip(UInt8(ascii: ",")) else { throw Failure(reason: "expected ',' or '}'") }
            }
        }
        text.skipSpace()
        guard text.scanner.isAtEnd else { throw Failure(reason: "unexpected text after the multirange") }
        return ranges
    }

    private mutating func skipSpace() {
        while let byte = scanner.peek, PGArrayText.isArraySpace(byte) { scanner.index += 1 }
    }

    private mutating func range() throws(Failure) -> Parts {
        skipSpace()
        var parts = Parts()
        let start = scanner.index
        if caseInsensitiveEmpty(from: start) {
            parts.isEmpty = true
            return parts
        }
        if scanner.skip(UInt8(ascii: "[")) {
            parts.lowerInclusive = true
        } else if !scanner.skip(UInt8(ascii: "(")) {
            throw Failure(reason: "a range starts with '[', '(' or 'empty'")
        }
        parts.lower = try bound(endingAt: [UInt8(ascii: ",")])
        guard scanner.skip(UInt8(ascii: ",")) else { throw Failure(reason: "expected ',' between the bounds") }
        parts.upper = try bound(endingAt: [UInt8(ascii: ")"), UInt8(ascii: "]")])
        if scanner.skip(UInt8(ascii: "]")) {
            parts.upperInclusive = true
        } else if !scanner.skip(UInt8(ascii: ")")) {
            throw Failure(reason: "a range ends with ']' or ')'")
        }
        // An unbounded end is never inclusive.
        if parts.lower == nil { parts.lowerInclusive = false }
        if parts.upper == nil { parts.upperInclusive = false }
        return parts
    }

    private mutating func caseInsensitiveEmpty(from start: Int) -> Bool {
        let word = Array("empty".utf8)
        guard scanner.bytes.count - start >= word.count else { return false }
        let found = scanner.bytes[start..<(start + word.count)].map { $0 | 0x20 }
        guard found == word else { return false }
        scanner.index = start + word.count
        return true
    }

    /// Reads one bound up to (not including) a byte of `ends`; `nil` when nothing stands there.
    private mutating func bound(endingAt ends: [UInt8]) throws(Failure) -> [UInt8]? {
        var text: [UInt8] = []
        var present = false
        while let byte = scanner.peek, !ends.contains(byte) {
            present = true
            scanner.index += 1
            if byte == UInt8(ascii: "\"") {
                while true {
                    guard let inner = scanner.peek else { throw Failure(reason: "unterminated quoted bound") }
                    scanner.index += 1
                    if inner == UInt8(ascii: "\\") {
                        guard let escaped = scanner.peek else { throw Failure(reason: "dangling backslash") }
                        text.append(escaped)
                        scanner.index += 1
                    } else if inner == UInt8(ascii: "\"") {
                        // A doubled quote inside quotes is one quote.
                        guard scanner.skip(UInt8(ascii: "\"")) else { break }
                        text.append(inner)
                    } else {
                        text.append(inner)
                    }
                }
            } else if byte == UInt8(ascii: "\\") {
                guard let escaped = scanner.peek else { throw Failure(reason: "dangling backslash") }
                text.append(escaped)
                scanner.index += 1
            } else if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: ")")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ",")
            {
                throw Failure(reason: "unexpected '\(Character(Unicode.Scalar(byte)))' in a bound")
            } else {
                text.append(byte)
            }
        }
        guard scanner.peek != nil else { throw Failure(reason: "unterminated range") }
        return present ? text : nil
    }
}
