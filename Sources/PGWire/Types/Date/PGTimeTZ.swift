public import NIOCore

/// A time of day with a UTC offset: PostgreSQL's `timetz`.
///
/// ``utcOffsetSeconds`` is east-positive, as in ISO 8601 (`+05:30` is 19800). On the wire
/// PostgreSQL counts the zone west-positive (`+05:30` is -19800); the codec flips the sign.
///
/// ```swift
/// let t = PGTimeTZ(time: PGTime(hour: 4, minute: 5, second: 6)!, utcOffsetSeconds: 19_800)
/// t.description   // "04:05:06+05:30"
/// ```
public struct PGTimeTZ: Hashable, Sendable, CustomStringConvertible, PGCodable {
    /// The local time of day.
    public var time: PGTime
    /// The offset from UTC in seconds, positive east of Greenwich.
    public var utcOffsetSeconds: Int32

    /// PostgreSQL's limit on a zone offset: ±15:59:59.
    static let maximumOffset: Int32 = 15 * 3600 + 59 * 60 + 59

    /// A local time and its offset from UTC (seconds, east-positive).
    public init(time: PGTime, utcOffsetSeconds: Int32) {
        self.time = time
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    var isValid: Bool { time.isValid && abs(utcOffsetSeconds) <= Self.maximumOffset }

    /// The server's text: `04:05:06+05:30`, `04:05:06-03:30:15`, `00:00:00+00`.
    public var description: String {
        var text = time.description
        PGCalendar.appendOffset(seconds: Int64(utcOffsetSeconds), to: &text)
        return text
    }

    public static var pgDataType: PGDataType { .timetz }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard isValid else { throw encodingError("time of day or zone offset out of range") }
        switch format {
        case .binary:
            buffer.writeInteger(time.microsecondsSinceMidnight)
            buffer.writeInteger(-utcOffsetSeconds)
        case .text:
            buffer.writeString(description)
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .timetz, [.timetz], format)
        switch format {
        case .binary:
            guard buffer.readableBytes == 12,
                let (micros, west) = buffer.readMultipleIntegers(as: (Int64, Int32).self)
            else {
                throw Self.decodingError(
                    .invalidLength(expected: 12, actual: buffer.readableBytes), type, format)
            }
            // -Int32.min would trap; no valid offset is that large anyway.
            self.init(
                time: PGTime(microsecondsSinceMidnight: micros),
                utcOffsetSeconds: west == .min ? .max : -west)
        case .text:
            let text = try Self.readText(from: &buffer, type, format)
            var scanner = PGTextScanner(text)
            guard let micros = PGCalendar.scanTime(&scanner),
                let offset = PGCalendar.scanOffset(&scanner),
                scanner.isAtEnd, let offset32 = Int32(exactly: offset)
            else {
                throw Self.decodingError(
                    .invalidValue(reason: "\"\(text)\" is not a timetz"), type, format)
            }
            self.init(time: PGTime(microsecondsSinceMidnight: micros), utcOffsetSeconds: offset32)
        }
        guard isValid else {
            throw Self.decodingError(
                .invalidValue(reason: "time of day or zone offset out of range"), type, format)
        }
    }
}
