import Foundation
import PGWire

/// Ratios as a newcomer reads them: `2.50 %`, `3.21×`, `—` for none.
enum RatioText {
    /// `fraction` as a percentage with two decimals (0.025 → `2.50 %`); `—` for `nil`.
    static func percent(_ fraction: PGNumeric?) -> String {
        guard let fraction, let value = Decimal(string: fraction.description) else { return "—" }
        return MoneyText.format(PGNumeric(value * 100)) + " %"
    }

    /// `ratio` as a multiple with two decimals (3.2109 → `3.21×`); `—` for `nil`.
    static func multiple(_ ratio: PGNumeric?) -> String {
        guard let ratio else { return "—" }
        return MoneyText.format(ratio) + "×"
    }
}
