/// An exact decimal number: PostgreSQL's `numeric`, with every digit and the display scale.
///
/// A `PGNumeric` holds what the server holds: a sign, base-10000 digits, the weight of the first
/// digit and the display scale (`dscale`, the number of digits shown after the point, 0 to 16383),
/// or one of the special values NaN, +Infinity and -Infinity. Any value the server can store
/// (131072 digits before the point, 16383 after) round-trips exactly, in binary and in text; it
/// never passes through `Double`.
///
/// Equality compares numeric value, as PostgreSQL's `=` does: `1.0 == 1.00` is `true` although
/// their ``scale`` and ``description`` differ, and NaN equals NaN. Use ``description`` or
/// ``scale`` when the written form matters.
///
/// ```swift
/// let price = PGNumeric("12.30")        // Optional: nil for text that is not a number
/// price?.description                     // "12.30"
/// price?.scale                           // 2
/// PGNumeric("1e-3")?.description         // "0.001"
/// PGNumeric.nan.isNaN                    // true
/// ```
public struct PGNumeric: Sendable, Hashable {
    /// The sign field of the wire format, which also marks the special values.
    enum Sign: UInt16, Sendable {
        case positive = 0x0000
        case negative = 0x4000
        case nan = 0xC000
        case positiveInfinity = 0xD000
        case negativeInfinity = 0xF000
    }

    /// The largest display scale PostgreSQL stores (`NUMERIC_DSCALE_MAX`).
    public static let maximumScale = 0x3FFF
    /// The largest weight of the first base-10000 digit (`NUMERIC_WEIGHT_MAX`): 131072 digits
    /// before the point.
    static let maximumWeight = Int(Int16.max)

    /// The sign or special value.
    var sign: Sign
    /// Base-10000 digits, most significant first, without leading or trailing zero digits; empty
    /// for zero and for the special values.
    var digits: [UInt16]
    /// The power of 10000 of the first digit; 0 when `digits` is empty.
    var weight: Int
    /// The display scale: digits shown after the point.
    var dscale: Int

    /// Makes a value from parts already normalized and within PostgreSQL's limits.
    init(sign: Sign, digits: [UInt16], weight: Int, dscale: Int) {
        self.sign = sign
        self.digits = digits
        self.weight = weight
        self.dscale = dscale
    }

    /// Not-a-number; unlike `Double.nan`, it equals itself, as in PostgreSQL.
    public static let nan = PGNumeric(sign: .nan, digits: [], weight: 0, dscale: 0)
    /// Positive infinity (PostgreSQL 14 and later).
    public static let infinity = PGNumeric(
        sign: .positiveInfinity, digits: [], weight: 0, dscale: 0)
    /// Negative infinity (PostgreSQL 14 and later).
    public static let negativeInfinity = PGNumeric(
        sign: .negativeInfinity, digits: [], weight: 0, dscale: 0)
    /// Zero, with scale 0.
    public static let zero = PGNumeric(sign: .positive, digits: [], weight: 0, dscale: 0)

    /// Whether the value is NaN.
    public var isNaN: Bool { sign == .nan }
    /// Whether the value is +Infinity or -Infinity.
    public var isInfinite: Bool { sign == .positiveInfinity || sign == .negativeInfinity }
    /// Whether the value is a number: neither NaN nor infinite.
    public var isFinite: Bool { sign == .positive || sign == .negative }
    /// Whether the value is below zero (including -Infinity).
    public var isNegative: Bool { sign == .negative || sign == .negativeInfinity }
    /// Whether the value is zero, at any scale.
    public var isZero: Bool { isFinite && digits.isEmpty }

    /// The display scale: how many digits follow the decimal point in ``description`` (0 for the
    /// special values).
    public var scale: Int { isFinite ? dscale : 0 }

    /// Compares numeric values, ignoring the display scale: `1.0 == 1.00`.
    public static func == (lhs: PGNumeric, rhs: PGNumeric) -> Bool {
        lhs.sign == rhs.sign && lhs.weight == rhs.weight && lhs.digits == rhs.digits
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sign)
        hasher.combine(weight)
        hasher.combine(digits)
    }
}
