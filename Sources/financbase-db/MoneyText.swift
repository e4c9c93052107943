import PGWire

/// Amounts as a newcomer reads them: `12,345.60 USD`.
enum MoneyText {
    /// `amount` with thousands separators and exactly two decimals (rounded half away from zero
    /// when it has more), followed by `currency` when given.
    static func format(_ amount: PGNumeric, currency: String? = nil) -> String {
        let text = amount.description
        guard amount.isFinite else { return text }
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var whole = Array(parts.first.map(String.init) ?? "0")
        var fraction = Array(parts.count > 1 ? String(parts[1]) : "")
        fraction += Array(repeating: "0", count: max(0, 2 - fraction.count))
        if fraction.count > 2 {
            let roundsUp = fraction[2] >= "5"
            fraction = Array(fraction.prefix(2))
            if roundsUp { increment(&whole, &fraction) }
        }
        var grouped = ""
        for (index, digit) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let number = (negative ? "-" : "") + grouped + "." + String(fraction)
        return currency.map { "\(number) \($0)" } ?? number
    }

    /// Adds one cent to the decimal digits `whole`.`fraction`.
    private static func increment(_ whole: inout [Character], _ fraction: inout [Character]) {
        var digits = whole + fraction
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] == "9" {
                digits[index] = "0"
                index -= 1
            } else {
                digits[index] = Character(String((digits[index].wholeNumberValue ?? 0) + 1))
                break
            }
        }
        if index < 0 { digits.insert("1", at: 0) }
        whole = Array(digits.dropLast(2))
        fraction = Array(digits.suffix(2))
    }
}
