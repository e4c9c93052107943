#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A calendar date: PostgreSQL's `date`, a count of days since 2000-01-01, with `infinity` and
/// `-infinity`.
///
/// The text form is ISO (`2024-01-02`, `0044-03-15 BC`), as the server prints it with
/// `DateStyle = ISO`. Years are proleptic Gregorian.
///
/// ```swift
/// let day = PGDate(year: 2024, month: 1, day: 2)   // Optional: nil for 2024-02-30
/// day?.description                                  // "2024-01-02"
/// day?.daysSince2000                                // 8767
/// ```
public struct PGDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 2000-01-01; `Int32.max` and `Int32.min` mean `infinity` and `-infinity`.
    public var daysSince2000: Int32

    /// Wraps a day count as the server sends it.
    public init(daysSince2000: Int32) { self.daysSince2000 = daysSince2000 }

    /// The date `year-month-day`; `year` 0 is 1 BC, -1 is 2 BC. `nil` for an invalid date or one
    /// whose day count does not fit.
    public init?(year: Int, month: Int, day: Int) {
        guard let days = PGCalendar.days(year: Int64(year), month: Int64(month), day: Int64(day)),
            let days32 = Int32(exactly: days), days32 != .max, days32 != .min
        else { return nil }
        self.daysSince2000 = days32
    }

    /// The UTC calendar day that contains `date`.
    public init?(_ date: Date) {
        let seconds = date.timeIntervalSinceReferenceDate.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 1e15 else { return nil }
        let days = PGCalendar.floorDivide(
            Int64(seconds) + PGCalendar.secondsFrom2000ToReferenceDate, 86_400)
        guard let days32 = Int32(exactly: days) else { return nil }
        self.daysSince2000 = days32
    }

    /// Later than every date.
    public static let infinity = PGDate(daysSince2000: .max)
    /// Earlier than every date.
    public static let negativeInfinity = PGDate(daysSince2000: .min)

    /// Whether this is `infinity` or `-infinity`.
    public var isInfinite: Bool { daysSince2000 == .max || daysSince2000 == .min }

    /// Year (astronomical: 0 is 1 BC), month and day; `nil` for the infinities.
    public var dateComponents: DateComponents? {
        guard !isInfinite else { return nil }
        let (year, month, day) = PGCalendar.civil(days: Int64(daysSince2000))
        return DateComponents(year: Int(year), month: Int(month), day: Int(day))
    }

    /// Midnight UTC at the start of this date; `nil` for the infinities.
    public var date: Date? {
        guard !isInfinite else { return nil }
        let seconds = Int64(daysSince2000) * 86_400 - PGCalendar.secondsFrom2000ToReferenceDate
        return Date(timeIntervalSinceReferenceDate: Double(seconds))
    }

    /// The server's ISO text: `2024-01-02`, `0044-03-15 BC`, `infinity`, `-infinity`.
    public var description: String {
        if daysSince2000 == .max { return "infinity" }
        if daysSince2000 == .min { return "-infinity" }
        var text = ""
        if PGCalendar.appendDate(days: Int64(daysSince2000), to: &text) { text += " BC" }
        return text
    }

    /// Parses the ISO text the server prints; `nil` for anything else.
    public init?(text: String) {
        switch text {
        case "infinity": self = .infinity
        case "-infinity": self = .negativeInfinity
        default:
            var scanner = PGTextScanner(text)
            guard let (year, month, day) = PGCalendar.scanDate(&scanner) else { return nil }
            let bc = scanner.skip(" BC")
            guard scanner.isAtEnd, let astronomical = PGCalendar.astronomicalYear(year, bc: bc)
            else {
                return nil
            }
            self.init(year: Int(astronomical), month: Int(month), day: Int(day))
        }
    }

    public static func < (lhs: PGDate, rhs: PGDate) -> Bool {
        lhs.daysSince2000 < rhs.daysSince2000
    }
}
