public import NIOCore

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// `Date` is `timestamptz`, to the microsecond: it is rounded to the nearest microsecond when
/// sent, and reads `timestamptz` and `timestamp` (taken as UTC). A value read between 1729 and
/// 2273 is sent back unchanged; further out a `Date`'s `Double` is coarser than a microsecond
/// (see ``PGTimestamp/init(_:)``), so read a ``PGTimestamp`` where every microsecond counts.
///
/// Encoding fails for dates outside PostgreSQL's range; decoding fails for `infinity` and
/// `-infinity`, which `Date` cannot hold (read a ``PGTimestamp`` to see them).
///
/// ```swift
/// let created = try Date.decode(from: cell, type: .timestamptz, format: .binary)
/// ```
extension Date: PGCodable {
    public static var pgDataType: PGDataType { .timestamptz }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try timestamp().encode(into: &buffer, format: format)
    }

    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try timestamp().encodeWithLength(into: &buffer, format: format)
    }

    /// As a timestamp, kept inline when it fits; a date out of range is left to
    /// ``encodeWithLength(into:format:)``, which reports it.
    public func encodeInline(into values: inout PGSmallValues) -> Bool {
        PGTimestamp(self)?.encodeInline(into: &values) ?? false
    }

    /// The date to the microsecond; throws outside PostgreSQL's timestamp range.
    private func timestamp() throws(PGEncodingError) -> PGTimestamp {
        guard let timestamp = PGTimestamp(self) else {
            throw encodingError("the date is outside PostgreSQL's timestamp range")
        }
        return timestamp
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        let timestamp: PGTimestamp
        do throws(PGDecodingError) {
            timestamp = try PGTimestamp(from: &buffer, type: type, format: format)
        } catch {
            var retyped = error
            retyped.swiftType = "Date"
            throw retyped
        }
        guard let date = timestamp.date else {
            throw Self.decodingError(
                .invalidValue(reason: "\(timestamp) cannot be a Date"), type, format)
        }
        // Near the ends of PostgreSQL's range a Double of seconds rounds past them, so such a
        // Date could not be sent back; it is read only if it can. Within the band every value
        // comes back (found by the `copy` fuzz entry, `Fixtures/fuzz/copy/date-beyond-double.bin`).
        if !Self.alwaysEncodable.contains(timestamp.microsecondsSince2000), PGTimestamp(date) == nil {
            throw Self.decodingError(
                .invalidValue(reason: "\(timestamp) cannot be a Date that is sent back"), type, format)
        }
        self = date
    }

    /// Microseconds since 2000 that become a `Date` which encodes again: well inside PostgreSQL's
    /// range (which starts at -211,813,488,000,000,000) and the 9e18 that `PGTimestamp(_:)` takes.
    static var alwaysEncodable: ClosedRange<Int64> {
        -200_000_000_000_000_000...9_000_000_000_000_000_000
    }
}
