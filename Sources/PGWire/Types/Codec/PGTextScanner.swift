/// A cursor over the ASCII text of a value, for the small hand-written parsers of the text
/// formats. Every read checks bounds and overflow, so no input makes it trap.
struct PGTextScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init(_ text: String) { self.bytes = Array(text.utf8) }

    var isAtEnd: Bool { index >= bytes.count }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `word` if it comes next.
    mutating func skip(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<(index + utf8.count)]) == utf8
        else { return false }
        index += utf8.count
        return true
    }

    /// Reads between `minimum` and `maximum` decimal digits as a number; `nil` if there are fewer
    /// than `minimum` (the cursor then stays put).
    mutating func digits(minimum: Int = 1, maximum: Int = 18) -> Int64? {
        let start = index
        var value: Int64 = 0
        while index - start < maximum, let byte = peek, byte >= 0x30, byte <= 0x39 {
            value = value * 10 + Int64(byte - 0x30)
            index += 1
        }
        guard index - start >= minimum else {
            index = start
            return nil
        }
        return value
    }

    /// Reads `.` and up to six digits as microseconds (`.5` is 500000); 0 when there is no point.
    mutating func fractionMicroseconds() -> Int64? {
        guard skip(UInt8(ascii: ".")) else { return 0 }
        let start = index
        guard let value = digits(minimum: 1, maximum: 6) else { return nil }
        var micros = value
        for _ in (index - start)..<6 { micros *= 10 }
        return micros
    }

    /// Reads an optional sign: -1 for `-`, 1 for `+` or nothing.
    mutating func sign() -> Int64 {
        if skip(UInt8(ascii: "-")) { return -1 }
        _ = skip(UInt8(ascii: "+"))
        return 1
    }
}
