public import NIOCore

/// A time of day without a date or zone: PostgreSQL's `time`, microseconds since midnight
/// (0 through 24:00:00 inclusive).
///
/// ```swift
/// let opening = PGTime(hour: 9, minute: 30)
/// opening?.description   // "09:30:00"
/// ```
public struct PGTime: Hashable, Comparable, Sendable, CustomStringConvertible, PGCodable {
    /// Microseconds since midnight.
    public var microsecondsSinceMidnight: Int64

    /// Wraps a microsecond count as the server sends it.
    public init(microsecondsSinceMidnight: Int64) {
        self.microsecondsSinceMidnight = microsecondsSinceMidnight
    }

    /// The time given; `nil` for fields out of range (24:00:00 is allowed, as in PostgreSQL).
    public init?(hour: Int, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        guard (0...24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second),
            (0..<1_000_000).contains(microsecond)
        else { return nil }
        let seconds = Int64((hour * 60 + minute) * 60 + second)
        microsecondsSinceMidnight = seconds * PGCalendar.microsecondsPerSecond + Int64(microsecond)
        guard isValid else { return nil }
    }

    var isValid: Bool { (0...PGCalendar.microsecondsPerDay).contains(microsecondsSinceMidnight) }

    /// The server's text: `04:05:06.5`, fraction without trailing zeros.
    public var description: String {
        var text = ""
        PGCalendar.appendTime(microseconds: max(0, microsecondsSinceMidnight), to: &text)
        return text
    }

    public static func < (lhs: PGTime, rhs: PGTime) -> Bool {
        lhs.microsecondsSinceMidnight < rhs.microsecondsSinceMidnight
    }

    public static var pgDataType: PGDataType { .time }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard isValid else { throw encodingError("time of day out of range") }
        switch format {
        case .binary: buffer.writeInteger(microsecondsSinceMidnight)
        case .text: buffer.writeString(description)
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .time, [.time], format)
        switch format {
        case .binary:
            self.init(
                microsecondsSinceMidnight: try Self.readExactly(
                    Int64.self, from: &buffer, type, format))
        case .text:
            let text = try Self.readText(from: &buffer, type, format)
            var scanner = PGTextScanner(text)
            guard let micros = PGCalendar.scanTime(&scanner), scanner.isAtEnd else {
                throw Self.decodingError(
                    .invalidValue(reason: "\"\(text)\" is not a time"), type, format)
            }
            self.init(microsecondsSinceMidnight: micros)
        }
        guard isValid else {
            throw Self.decodingError(
                .invalidValue(reason: "time of day out of range"), type, format)
        }
    }
}
