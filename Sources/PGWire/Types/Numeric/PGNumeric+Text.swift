/// The text form of `numeric`: what the server prints and what it accepts.
extension PGNumeric: LosslessStringConvertible {
    /// Parses numeric text as PostgreSQL's `numeric_in` does, keeping every digit and the scale.
    ///
    /// Accepts an optional sign, digits with an optional decimal point, an optional exponent
    /// (`1.5e3`), surrounding whitespace, and `NaN`, `Infinity`, `inf` with an optional sign, in
    /// any letter case. Returns `nil` for anything else and for values beyond PostgreSQL's limits
    /// (more than 131072 digits before the point or a scale above 16383).
    ///
    /// ```swift
    /// PGNumeric("12.30")?.description      // "12.30"
    /// PGNumeric("1.50e-3")?.description    // "0.00150"
    /// PGNumeric("1e-16384")                // nil: scale above 16383
    /// ```
    public init?(_ description: String) {
        guard case .success(let value) = Self.parse(Array(description.utf8)) else { return nil }
        self = value
    }

    /// The server's text output: plain digits, exactly ``scale`` of them after the point
    /// (`"12.30"`, `"-0.001"`, `"0"`), or `NaN`, `Infinity`, `-Infinity`.
    public var description: String {
        switch sign {
        case .nan: return "NaN"
        case .positiveInfinity: return "Infinity"
        case .negativeInfinity: return "-Infinity"
        case .positive, .negative: break
        }
        var text: [UInt8] = []
        text.reserveCapacity(4 * (max(weight, 0) + 1) + dscale + 2)
        if sign == .negative { text.append(UInt8(ascii: "-")) }
        if digits.isEmpty || weight < 0 {
            text.append(UInt8(ascii: "0"))
        } else {
            for index in 0...weight {
                let group = index < digits.count ? digits[index] : 0
                appendGroup(group, to: &text, padded: index > 0)
            }
        }
        if dscale > 0 {
            text.append(UInt8(ascii: "."))
            var written = 0
            var index = weight + 1
            while written < dscale {
                let group = index >= 0 && index < digits.count ? digits[index] : 0
                var divisor: UInt16 = 1000
                while divisor > 0 && written < dscale {
                    text.append(UInt8(ascii: "0") + UInt8(group / divisor % 10))
                    divisor /= 10
                    written += 1
                }
                index += 1
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    private func appendGroup(_ group: UInt16, to text: inout [UInt8], padded: Bool) {
        var divisor: UInt16 = 1000
        var started = padded
        while divisor > 0 {
            let digit = group / divisor % 10
            if started || digit != 0 || divisor == 1 {
                text.append(UInt8(ascii: "0") + UInt8(digit))
                started = true
            }
            divisor /= 10
        }
    }

    /// Why text is not a numeric, for errors.
    enum ParseFailure: Error, Equatable {
        case syntax
        case overflow
    }

    /// Parses `numeric_in` syntax. Work is proportional to the input's length: a huge exponent
    /// changes the weight arithmetically and never allocates zeros.
    static func parse(_ bytes: [UInt8]) -> Result<PGNumeric, ParseFailure> {
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return .failure(.syntax) }
        if let special = parseSpecial(bytes[start..<end]) { return .success(special) }

        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var decimalDigits: [UInt8] = []
        decimalDigits.reserveCapacity(end - index)
        var integerCount = 0
        var fractionCount = 0
        var seenPoint = false
        while index < end {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                decimalDigits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fractionCount += 1 } else { integerCount += 1 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                break
            }
            index += 1
        }
        guard !decimalDigits.isEmpty else { return .failure(.syntax) }
        var exponent = 0
        if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            var exponentNegative = false
            if index < end
                && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"))
            {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < end else { return .failure(.syntax) }
            // PostgreSQL refuses exponents beyond INT_MAX / 2 outright.
            let limit = Int(Int32.max / 2)
            while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9")
            {
                exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                guard exponent < limit else { return .failure(.overflow) }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard index == end else { return .failure(.syntax) }
        let dscale = max(0, fractionCount - exponent)
        return make(
            negative: negative, decimalDigits: decimalDigits,
            pointPosition: integerCount + exponent,
            dscale: dscale)
    }

    /// Builds a value from base-10 digits of which the first `pointPosition` stand before the
    /// decimal point (negative or beyond the count: zeros are implied).
    static func make<Digits: RandomAccessCollection<UInt8>>(
        negative: Bool, decimalDigits: Digits, pointPosition: Int, dscale: Int
    ) -> Result<PGNumeric, ParseFailure> where Digits.Index == Int {
        guard dscale <= maximumScale else { return .failure(.overflow) }
        // Indices from the collection's own start: a slice's do not begin at 0.
        var first = decimalDigits.startIndex
        var last = decimalDigits.endIndex
        while first < last && decimalDigits[first] == 0 { first += 1 }
        while last > first && decimalDigits[last - 1] == 0 { last -= 1 }
        guard first < last else {
            return .success(PGNumeric(sign: .positive, digits: [], weight: 0, dscale: dscale))
        }
        // The power of ten of a digit at offset i from `first` is `topPower - i`.
        let topPower = pointPosition - (first - decimalDigits.startIndex) - 1
        let weight = floorDivide(topPower, by: 4)
        guard weight <= maximumWeight else { return .failure(.overflow) }
        let bottomPower = topPower - (last - first - 1)
        let groupCount = weight - floorDivide(bottomPower, by: 4) + 1
        var groups = zeroGroups(groupCount)
        var power = topPower
        for digit in decimalDigits[first..<last] {
            let group = weight - floorDivide(power, by: 4)
            let place = power - 4 * floorDivide(power, by: 4)
            groups[group] += UInt16(digit) * powersOfTen[place]
            power -= 1
        }
        return .success(
            PGNumeric(
                sign: negative ? .negative : .positive, digits: groups, weight: weight,
                dscale: dscale))
    }

    /// `count` zero digits. Not generic, so that the array is made with its element type known:
    /// inside the generic `make` it went through the standard library's unspecialized code,
    /// which looked up the array's type metadata in the runtime's cache for every value.
    private static func zeroGroups(_ count: Int) -> [UInt16] {
        var groups: [UInt16] = []
        groups.reserveCapacity(count)
        groups.append(contentsOf: repeatElement(0, count: count))
        return groups
    }

    static let powersOfTen: [UInt16] = [1, 10, 100, 1000]

    static func floorDivide(_ value: Int, by divisor: Int) -> Int {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func parseSpecial(_ bytes: ArraySlice<UInt8>) -> PGNumeric? {
        // Every special value has a letter in its first two bytes; a number has none, and
        // skips the lowercased copy below.
        guard bytes.count <= 9, bytes.prefix(2).contains(where: { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }) else {
            return nil
        }
        let word = String(decoding: bytes, as: UTF8.self).lowercased()
        switch word {
        case "nan": return .nan
        case "infinity", "+infinity", "inf", "+inf": return .infinity
        case "-infinity", "-inf": return .negativeInfinity
        default: return nil
        }
    }
}
