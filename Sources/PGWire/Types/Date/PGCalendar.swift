/// Proleptic Gregorian calendar arithmetic and the ISO text pieces shared by the date and time
/// types. Day numbers count from 2000-01-01, PostgreSQL's epoch; all arithmetic is in `Int64`
/// with floor division, so any `Int32` day or `Int64` microsecond count is safe.
enum PGCalendar {
    static let microsecondsPerSecond: Int64 = 1_000_000
    static let microsecondsPerDay: Int64 = 86_400_000_000
    /// Seconds from 2000-01-01 to Foundation's reference date, 2001-01-01 (a leap year between).
    static let secondsFrom2000ToReferenceDate: Int64 = 366 * 86_400

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder of floor division, in `0..<divisor` for a positive divisor; computed without
    /// multiplying back, which would overflow near `Int64.min`.
    static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }

    /// `days` whole days plus `microseconds`, or `nil` on Int64 overflow.
    static func microseconds(days: Int64, plus microseconds: Int64) -> Int64? {
        let (dayMicros, overflow) = days.multipliedReportingOverflow(by: microsecondsPerDay)
        guard !overflow else { return nil }
        let (total, sumOverflow) = dayMicros.addingReportingOverflow(microseconds)
        return sumOverflow ? nil : total
    }

    /// The civil date of a day number; the year is astronomical (0 is 1 BC).
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        // Days from 0000-03-01, so that the leap day ends each 400-year era.
        let shifted = days + 10_957 + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The day number of a civil date (astronomical year), or `nil` for an invalid date or a
    /// year beyond ±100 million.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            abs(year) <= 100_000_000
        else { return nil }
        let marchYear = month <= 2 ? year - 1 : year
        let era = floorDivide(marchYear, 400)
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468 - 10_957
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Appends `value` as at least `width` digits.
    static func appendPadded(_ value: Int64, width: Int, to text: inout String) {
        let digits = String(value.magnitude)
        if value < 0 { text += "-" }
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }

    /// `YYYY-MM-DD`; `bc` says whether " BC" must follow the whole value.
    static func appendDate(days: Int64, to text: inout String) -> Bool {
        let (year, month, day) = civil(days: days)
        let bc = year <= 0
        appendPadded(bc ? 1 - year : year, width: 4, to: &text)
        text += "-"
        appendPadded(month, width: 2, to: &text)
        text += "-"
        appendPadded(day, width: 2, to: &text)
        return bc
    }

    /// `HH:MM:SS` and, when there are any, `.` and the microseconds without trailing zeros.
    /// `microseconds` is not negative.
    static func appendTime(microseconds: Int64, to text: inout String) {
        let seconds = microseconds / microsecondsPerSecond
        appendPadded(seconds / 3600, width: 2, to: &text)
        text += ":"
        appendPadded(seconds / 60 % 60, width: 2, to: &text)
        text += ":"
        appendPadded(seconds % 60, width: 2, to: &text)
        appendFraction(microseconds % microsecondsPerSecond, to: &text)
    }

    static func appendFraction(_ microseconds: Int64, to text: inout String) {
        guard microseconds != 0 else { return }
        var fraction = String(microseconds)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        text += "." + fraction
    }

    /// `+HH`, `+HH:MM` or `+HH:MM:SS` for an offset east of UTC in seconds, as the server prints.
    static func appendOffset(seconds: Int64, to text: inout String) {
        text += seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        appendPadded(magnitude / 3600, width: 2, to: &text)
        if magnitude % 3600 != 0 {
            text += ":"
            appendPadded(magnitude / 60 % 60, width: 2, to: &text)
            if magnitude % 60 != 0 {
                text += ":"
                appendPadded(magnitude % 60, width: 2, to: &text)
            }
        }
    }

    /// Reads `YYYY-MM-DD` (four or more year digits) as a day number, without the BC suffix.
    static func scanDate(_ scanner: inout PGTextScanner) -> (year: Int64, month: Int64, day: Int64)?
    {
        guard let year = scanner.digits(minimum: 4, maximum: 9), scanner.skip(UInt8(ascii: "-")),
            let month = scanner.digits(minimum: 2, maximum: 2), scanner.skip(UInt8(ascii: "-")),
            let day = scanner.digits(minimum: 2, maximum: 2)
        else { return nil }
        return (year, month, day)
    }

    /// Reads `HH:MM:SS[.ffffff]` as microseconds; hours up to 24 and 24:00:00 only exactly.
    static func scanTime(_ scanner: inout PGTextScanner) -> Int64? {
        guard let hour = scanner.digits(minimum: 2, maximum: 2), scanner.skip(UInt8(ascii: ":")),
            let minute = scanner.digits(minimum: 2, maximum: 2), scanner.skip(UInt8(ascii: ":")),
            let second = scanner.digits(minimum: 2, maximum: 2),
            let fraction = scanner.fractionMicroseconds(),
            minute < 60, second < 60
        else { return nil }
        let micros = ((hour * 60 + minute) * 60 + second) * microsecondsPerSecond + fraction
        return micros <= microsecondsPerDay ? micros : nil
    }

    /// Reads `+HH[:MM[:SS]]` or `-…` as seconds east of UTC.
    static func scanOffset(_ scanner: inout PGTextScanner) -> Int64? {
        guard let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
            return nil
        }
        let direction = scanner.sign()
        guard let hours = scanner.digits(minimum: 2, maximum: 2) else { return nil }
        var seconds = hours * 3600
        if scanner.skip(UInt8(ascii: ":")) {
            guard let minutes = scanner.digits(minimum: 2, maximum: 2), minutes < 60 else {
                return nil
            }
            seconds += minutes * 60
            if scanner.skip(UInt8(ascii: ":")) {
                guard let secs = scanner.digits(minimum: 2, maximum: 2), secs < 60 else {
                    return nil
                }
                seconds += secs
            }
        }
        return direction * seconds
    }

    /// Turns a year as printed (with or without " BC") into an astronomical year.
    static func astronomicalYear(_ year: Int64, bc: Bool) -> Int64? {
        guard year >= 1 else { return nil }
        return bc ? 1 - year : year
    }
}
