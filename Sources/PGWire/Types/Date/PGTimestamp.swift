#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// An instant with microsecond precision: PostgreSQL's `timestamptz` and `timestamp`, both a count
/// of microseconds since 2000-01-01 00:00:00, with `infinity` and `-infinity`.
///
/// For `timestamptz` the count is from midnight UTC; for `timestamp` (without time zone) it is
/// the same count read as a wall-clock time. The value is sent as `timestamptz`; the server
/// converts it to a `timestamp` column through the session's `TimeZone`, so keep sessions in UTC
/// (or send text) when writing `timestamp` columns.
///
/// ```swift
/// let t = PGTimestamp(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5,
///                     microsecond: 123_456)
/// t?.description    // "2024-01-02 03:04:05.123456+00"
/// t?.date           // the Foundation Date
/// ```
public struct PGTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 2000-01-01 00:00:00 UTC; `Int64.max` and `Int64.min` are the infinities.
    public var microsecondsSince2000: Int64

    /// Wraps a microsecond count as the server sends it.
    public init(microsecondsSince2000: Int64) { self.microsecondsSince2000 = microsecondsSince2000 }

    /// Later than every timestamp.
    public static let infinity = PGTimestamp(microsecondsSince2000: .max)
    /// Earlier than every timestamp.
    public static let negativeInfinity = PGTimestamp(microsecondsSince2000: .min)

    /// The first instant PostgreSQL accepts: 4714-11-24 00:00:00 UTC BC (Julian day 0).
    static let minimumMicroseconds: Int64 = -211_813_488_000_000_000
    /// Just past the last instant PostgreSQL accepts: 294277-01-01 00:00:00 UTC.
    static let endMicroseconds: Int64 = 9_223_371_331_200_000_000

    /// Whether this is `infinity` or `-infinity`.
    public var isInfinite: Bool { microsecondsSince2000 == .max || microsecondsSince2000 == .min }

    /// Whether the server accepts the value: infinite or between 4714 BC and 294276 AD.
    var isInServerRange: Bool {
        isInfinite
            || (microsecondsSince2000 >= Self.minimumMicroseconds
                && microsecondsSince2000 < Self.endMicroseconds)
    }

    /// The UTC date and time given; `year` 0 is 1 BC. `nil` for invalid fields.
    public init?(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
        microsecond: Int = 0
    ) {
        guard let days = PGCalendar.days(year: Int64(year), month: Int64(month), day: Int64(day)),
            (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second),
            (0..<1_000_000).contains(microsecond)
        else { return nil }
        let seconds = Int64(((hour * 60) + minute) * 60 + second)
        guard
            let micros = PGCalendar.microseconds(
                days: days, plus: seconds * PGCalendar.microsecondsPerSecond + Int64(microsecond))
        else { return nil }
        microsecondsSince2000 = micros
        guard isInServerRange, !isInfinite else { return nil }
    }

    /// `date` rounded to the nearest microsecond; `nil` outside PostgreSQL's range.
    ///
    /// `Date` holds a `Double` of seconds since 2001, whose step is under a microsecond for
    /// 2^33 seconds (272 years) either side of it: from 1729 to 2273 the round trip
    /// `PGTimestamp → Date → PGTimestamp` is exact. Further out the step is two microseconds or
    /// more, so the microsecond that comes back may be a neighbour; read a ``PGTimestamp`` to
    /// keep every microsecond.
    public init?(_ date: Date) {
        let interval = date.timeIntervalSinceReferenceDate
        guard interval.isFinite, abs(interval) < 9e12 else { return nil }
        // Whole seconds and the fraction are taken apart exactly (the difference of a Double and
        // its floor is exact), so only the fraction is rounded, not a product near 2^53.
        let whole = interval.rounded(.down)
        let fraction = ((interval - whole) * 1e6).rounded()
        // Below 9e12 seconds neither the product nor the sum can overflow.
        let value = (Int64(whole) + PGCalendar.secondsFrom2000ToReferenceDate)
            * PGCalendar.microsecondsPerSecond + Int64(fraction)
        microsecondsSince2000 = value
        guard isInServerRange, !isInfinite else { return nil }
    }

    /// The instant as a Foundation `Date`; `nil` for the infinities.
    public var date: Date? {
        guard !isInfinite else { return nil }
        // Whole seconds and the fraction are converted apart so that the sum loses nothing more
        // than Double's own rounding.
        let seconds = PGCalendar.floorDivide(
            microsecondsSince2000, PGCalendar.microsecondsPerSecond)
        let fraction = PGCalendar.floorModulo(
            microsecondsSince2000, PGCalendar.microsecondsPerSecond)
        return Date(
            timeIntervalSinceReferenceDate: Double(
                seconds - PGCalendar.secondsFrom2000ToReferenceDate)
                + Double(fraction) / 1e6)
    }

    /// The UTC fields (year astronomical, nanosecond a multiple of 1000); `nil` for the infinities.
    public var dateComponents: DateComponents? {
        guard !isInfinite else { return nil }
        let days = PGCalendar.floorDivide(microsecondsSince2000, PGCalendar.microsecondsPerDay)
        let (year, month, day) = PGCalendar.civil(days: days)
        let micros = PGCalendar.floorModulo(microsecondsSince2000, PGCalendar.microsecondsPerDay)
        let seconds = micros / PGCalendar.microsecondsPerSecond
        return DateComponents(
            timeZone: TimeZone(secondsFromGMT: 0), year: Int(year), month: Int(month),
            day: Int(day),
            hour: Int(seconds / 3600), minute: Int(seconds / 60 % 60), second: Int(seconds % 60),
            nanosecond: Int(micros % PGCalendar.microsecondsPerSecond) * 1000)
    }

    /// The server's ISO text for `timestamptz` in UTC: `2024-01-02 03:04:05.123456+00`,
    /// `0044-03-15 12:00:00+00 BC`, `infinity`, `-infinity`.
    public var description: String { text(withOffset: true) }

    /// ISO text with `+00` (`timestamptz`) or without (`timestamp`).
    func text(withOffset: Bool) -> String {
        if microsecondsSince2000 == .max { return "infinity" }
        if microsecondsSince2000 == .min { return "-infinity" }
        let days = PGCalendar.floorDivide(microsecondsSince2000, PGCalendar.microsecondsPerDay)
        var text = ""
        let bc = PGCalendar.appendDate(days: days, to: &text)
        text += " "
        PGCalendar.appendTime(
            microseconds: PGCalendar.floorModulo(
                microsecondsSince2000, PGCalendar.microsecondsPerDay),
            to: &text)
        if withOffset { text += "+00" }
        if bc { text += " BC" }
        return text
    }

    /// Parses the server's ISO output. A UTC offset, when present, is applied; `timestamp` text
    /// has none.
    init?(text: String) {
        switch text {
        case "infinity": self = .infinity
        case "-infinity": self = .negativeInfinity
        default:
            var scanner = PGTextScanner(text)
            guard let (year, month, day) = PGCalendar.scanDate(&scanner),
                scanner.skip(UInt8(ascii: " ")),
                let time = PGCalendar.scanTime(&scanner)
            else { return nil }
            let offset = PGCalendar.scanOffset(&scanner) ?? 0
            let bc = scanner.skip(" BC")
            guard scanner.isAtEnd, let astronomical = PGCalendar.astronomicalYear(year, bc: bc),
                let days = PGCalendar.days(year: astronomical, month: month, day: day),
                let micros = PGCalendar.microseconds(
                    days: days, plus: time - offset * PGCalendar.microsecondsPerSecond)
            else { return nil }
            self.init(microsecondsSince2000: micros)
            guard isInServerRange, !isInfinite else { return nil }
        }
    }

    public static func < (lhs: PGTimestamp, rhs: PGTimestamp) -> Bool {
        lhs.microsecondsSince2000 < rhs.microsecondsSince2000
    }
}
