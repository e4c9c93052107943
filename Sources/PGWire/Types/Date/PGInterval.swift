#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A span of time as PostgreSQL keeps it: months, days and microseconds, each signed and kept
/// apart (a month is not a fixed number of days, nor a day of hours across DST changes).
///
/// The text form is `IntervalStyle = postgres`, as the server prints by default:
/// `1 year 2 mons 3 days 04:05:06.5`, `-1 days`, `00:00:00`.
///
/// ```swift
/// let term = PGInterval(months: 14, days: 3, microseconds: 14_706_500_000)
/// term.description   // "1 year 2 mons 3 days 04:05:06.5"
/// ```
public struct PGInterval: Hashable, Sendable, CustomStringConvertible {
    /// Whole months (a year is 12).
    public var months: Int32
    /// Whole days.
    public var days: Int32
    /// The time part, in microseconds.
    public var microseconds: Int64

    /// An interval from its three parts.
    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }

    /// The parts as calendar components: `month`, `day`, `second` and `nanosecond` (the time part
    /// split into whole seconds and the rest, both with its sign).
    public var dateComponents: DateComponents {
        DateComponents(
            month: Int(months), day: Int(days),
            second: Int(microseconds / PGCalendar.microsecondsPerSecond),
            nanosecond: Int(microseconds % PGCalendar.microsecondsPerSecond) * 1000)
    }

    /// The server's `postgres`-style text.
    public var description: String {
        var text = ""
        var isZero = true
        var isBefore = false
        // Each nonzero part marks the next with "+" when it was negative: the server's quirk,
        // kept so the output is byte-for-byte what psql shows.
        func append(_ value: Int64, _ unit: String) {
            guard value != 0 else { return }
            if !isZero { text += " " }
            if isBefore && value > 0 { text += "+" }
            text += "\(value) \(unit)\(value != 1 ? "s" : "")"
            isBefore = value < 0
            isZero = false
        }
        append(Int64(months / 12), "year")
        append(Int64(months % 12), "mon")
        append(Int64(days), "day")
        if isZero || microseconds != 0 {
            if !isZero { text += " " }
            if microseconds < 0 { text += "-" } else if isBefore { text += "+" }
            let magnitude = microseconds.magnitude
            let seconds = magnitude / UInt64(PGCalendar.microsecondsPerSecond)
            let hours = String(seconds / 3600)
            text += (hours.count < 2 ? "0" : "") + hours + ":"
            let minutes = seconds / 60 % 60
            let secs = seconds % 60
            text += (minutes < 10 ? "0" : "") + "\(minutes):" + (secs < 10 ? "0" : "") + "\(secs)"
            PGCalendar.appendFraction(
                Int64(magnitude % UInt64(PGCalendar.microsecondsPerSecond)), to: &text)
        }
        return text
    }

    /// Parses `postgres`-style interval text as the server prints it; `nil` for anything else.
    init?(text: String) {
        var scanner = PGTextScanner(text)
        var months: Int64 = 0
        var days: Int64 = 0
        var micros: Int64 = 0
        var sawTime = false
        while !scanner.isAtEnd {
            if scanner.index > 0 && !scanner.skip(UInt8(ascii: " ")) { return nil }
            let sign = scanner.sign()
            guard let number = scanner.digits(minimum: 1, maximum: 18) else { return nil }
            if scanner.skip(UInt8(ascii: ":")) {
                // The time part: hours may have many digits; it must come last.
                guard !sawTime, let minutes = scanner.digits(minimum: 2, maximum: 2),
                    scanner.skip(UInt8(ascii: ":")),
                    let seconds = scanner.digits(minimum: 2, maximum: 2),
                    let fraction = scanner.fractionMicroseconds(), minutes < 60, seconds < 60
                else { return nil }
                let (hourMicros, overflow) = number.multipliedReportingOverflow(by: 3_600_000_000)
                guard !overflow else { return nil }
                let rest = (minutes * 60 + seconds) * PGCalendar.microsecondsPerSecond + fraction
                // Int64.min's magnitude is one more than Int64.max's: build the value negative.
                let (total, sumOverflow) = (sign * hourMicros).addingReportingOverflow(sign * rest)
                guard !sumOverflow else { return nil }
                micros = total
                sawTime = true
                continue
            }
            guard !sawTime, scanner.skip(UInt8(ascii: " ")) else { return nil }
            let value = sign * number
            let sum: (partialValue: Int64, overflow: Bool)
            if scanner.skip("years") || scanner.skip("year") {
                sum = months.addingReportingOverflow(
                    value.multipliedReportingOverflow(by: 12).partialValue)
                guard abs(value) < Int64.max / 12 else { return nil }
                months = sum.partialValue
            } else if scanner.skip("mons") || scanner.skip("mon") {
                sum = months.addingReportingOverflow(value)
                months = sum.partialValue
            } else if scanner.skip("days") || scanner.skip("day") {
                sum = days.addingReportingOverflow(value)
                days = sum.partialValue
            } else {
                return nil
            }
            guard !sum.overflow else { return nil }
        }
        guard let months32 = Int32(exactly: months), let days32 = Int32(exactly: days) else {
            return nil
        }
        self.init(months: months32, days: days32, microseconds: micros)
    }
}
