public import NIOCore

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension PGNumeric {
    /// The exact value of `decimal`, with the decimal's exponent as the scale; NaN for
    /// `Decimal.nan`. Foundation may drop trailing zeros (`Decimal(string: "12.30")` can hold
    /// 123e-1), so the scale is only as faithful as the `Decimal`.
    ///
    /// ```swift
    /// PGNumeric(Decimal(string: "99.95")!).description   // "99.95"
    /// ```
    public init(_ decimal: Decimal) {
        if decimal.isNaN {
            self = .nan
            return
        }
        // The significand is an integer, so its text is its digits; the exponent is applied here
        // instead of trusting Decimal's own formatting of fractions.
        let digits = Array("\(decimal.significand)".utf8).compactMap { byte -> UInt8? in
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
        }
        let exponent = decimal.exponent
        let result = Self.make(
            negative: decimal.sign == .minus, decimalDigits: digits,
            pointPosition: digits.count + exponent, dscale: max(0, -exponent))
        switch result {
        case .success(let value): self = value
        case .failure: self = .nan  // unreachable: Decimal's exponent is within -128...127
        }
    }

    /// An exact integer value.
    ///
    /// ```swift
    /// let amount: PGNumeric = 1_000
    /// ```
    public init(_ value: Int64) {
        // Scale 0 is always valid and 19 digits are far within the limits.
        self = Self(minorUnits: value, scale: 0) ?? .nan
    }

    /// The exact value `minorUnits / 10^scale`, with `scale` digits after the point: an amount
    /// kept in cents (or any minor unit) as an integer, without going through text.
    ///
    /// ```swift
    /// let price = PGNumeric(minorUnits: 12_345, scale: 2)   // 123.45
    /// ```
    ///
    /// Returns `nil` for a negative scale or one above PostgreSQL's limit (16383).
    public init?(minorUnits: Int64, scale: Int) {
        guard scale >= 0, scale <= Self.maximumScale else { return nil }
        var magnitude = minorUnits.magnitude
        guard magnitude > 0 else {
            self.init(sign: .positive, digits: [], weight: 0, dscale: scale)
            return
        }
        // Base-10000 groups from the least significant, aligned on the decimal point: the
        // last group holds the last `4 - padding` decimal digits, shifted left by `padding`.
        // An Int64 has at most 20 decimal digits, so 6 groups.
        let padding = (4 - scale % 4) % 4
        let fractionGroups = (scale + padding) / 4
        let shift = UInt64(Self.powersOfTen[padding])
        let lowDivisor = 10_000 / shift
        var groups: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0)
        let (digits, count) = withUnsafeMutableBytes(of: &groups) { raw in
            let group = raw.bindMemory(to: UInt16.self)
            group[0] = UInt16(truncatingIfNeeded: magnitude % lowDivisor * shift)
            magnitude /= lowDivisor
            var count = 1
            while magnitude > 0 {
                group[count] = UInt16(truncatingIfNeeded: magnitude % 10_000)
                magnitude /= 10_000
                count += 1
            }
            // The value's digits: the groups most significant first, without trailing zero
            // groups (the top group is not zero: the loop stops when nothing is left).
            var low = 0
            while group[low] == 0 { low += 1 }
            // Reserved, then appended: `Array(unsafeUninitializedCapacity:)` is not specialized
            // here and looked the array's type up in the runtime's metadata cache each time.
            var digits: [UInt16] = []
            digits.reserveCapacity(count - low)
            for index in (low..<count).reversed() { digits.append(group[index]) }
            return (digits, count)
        }
        self.init(
            sign: minorUnits < 0 ? .negative : .positive, digits: digits,
            weight: count - 1 - fractionGroups, dscale: scale)
    }

    /// The significant base-10 digits (no leading or trailing zeros) and the power of ten of the
    /// last one; `nil` for zero and the special values.
    var significantDecimalDigits: (digits: [UInt8], exponent: Int)? {
        guard isFinite, !digits.isEmpty else { return nil }
        var decimal: [UInt8] = []
        decimal.reserveCapacity(4 * digits.count)
        for group in digits {
            var divisor: UInt16 = 1000
            while divisor > 0 {
                decimal.append(UInt8(group / divisor % 10))
                divisor /= 10
            }
        }
        // The last group's last digit stands at 10^(4 * its weight).
        var exponent = 4 * (weight - (digits.count - 1))
        let leading = decimal.prefix { $0 == 0 }.count
        var end = decimal.count
        while end > leading && decimal[end - 1] == 0 {
            end -= 1
            exponent += 1
        }
        return (Array(decimal[leading..<end]), exponent)
    }
}

extension PGNumeric: ExpressibleByIntegerLiteral {
    /// An exact integer value: `let fee: PGNumeric = 5`.
    public init(integerLiteral value: Int64) { self.init(value) }
}

extension Decimal {
    /// The value of `numeric` if `Decimal` holds it exactly: at most 38 significant digits and a
    /// power of ten within -128...127. `nil` for infinities and inexact values; `Decimal.nan` for
    /// NaN. The conversion never goes through `Double`.
    ///
    /// ```swift
    /// Decimal(exactly: PGNumeric("0.01")!)              // 0.01
    /// Decimal(exactly: PGNumeric("1e-200")!)            // nil
    /// ```
    public init?(exactly numeric: PGNumeric) {
        if numeric.isNaN {
            self = .nan
            return
        }
        guard numeric.isFinite else { return nil }
        guard let (digits, exponent) = numeric.significantDecimalDigits else {
            self = .zero
            return
        }
        guard digits.count <= 38, exponent >= -128, exponent <= 127 else { return nil }
        var significand = Decimal.zero
        for digit in digits {
            significand = significand * 10 + Decimal(Int(digit))
        }
        self.init(
            sign: numeric.isNegative ? .minus : .plus, exponent: exponent, significand: significand)
    }
}

/// `Decimal` is sent as `numeric`, exactly.
///
/// Decoding fails with ``PGDecodingError/Kind/invalidValue(reason:)`` when the numeric has more
/// than 38 significant digits, is out of `Decimal`'s exponent range, or is infinite; use
/// ``PGNumeric`` to read any numeric.
extension Decimal: PGCodable {
    public static var pgDataType: PGDataType { .numeric }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try PGNumeric(self).encode(into: &buffer, format: format)
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        let numeric: PGNumeric
        do throws(PGDecodingError) {
            numeric = try PGNumeric(from: &buffer, type: type, format: format)
        } catch {
            var retyped = error
            retyped.swiftType = "Decimal"
            throw retyped
        }
        guard let exact = Decimal(exactly: numeric) else {
            throw Self.decodingError(
                .invalidValue(reason: "\(numeric) does not fit Decimal exactly"), type, format)
        }
        self = exact
    }
}
