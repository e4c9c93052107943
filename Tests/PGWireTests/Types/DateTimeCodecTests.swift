import NIOCore
import Testing

@testable import PGWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Fixtures are (text output with DateStyle ISO, TimeZone UTC, `*send` bytes) from PostgreSQL 15.
@Suite("date and time codecs")
struct DateTimeCodecTests {
    @Test(arguments: [
        ("2000-01-01", "00000000"), ("2024-01-02", "0000223f"), ("1999-12-31", "ffffffff"),
        ("0044-03-15 BC", "fff49d7b"), ("4713-11-24 BC", "ffda9915"), ("5874897-12-31", "7fda970c"),
        ("infinity", "7fffffff"), ("-infinity", "80000000"), ("2024-02-29", "00002279"),
        ("0001-01-01", "fff4dbf9"), ("0001-12-31 BC", "fff4dbf8"),
    ])
    func date(text: String, binary: String) throws {
        try expectServerFixture(PGDate.self, .date, text: text, binary: binary)
    }

    @Test(arguments: [
        ("2000-01-01 00:00:00+00", "0000000000000000"),
        ("2024-01-02 03:04:05.123456+00", "0002b0ec8517d580"),
        ("1969-12-31 23:59:59.999999+00", "fffca2fec4c81fff"),
        ("0044-03-15 12:00:00.5+00 BC", "ff1af9e8fb4e7120"),
        ("294276-12-31 23:59:59.999999+00", "7fffff5bb3b29fff"),
        ("4713-11-24 00:00:00+00 BC", "fd0f9983eb0ae000"),
        ("infinity", "7fffffffffffffff"), ("-infinity", "8000000000000000"),
        ("2024-06-30 10:00:00.1+00", "0002bf174ff60ea0"),
    ])
    func timestamptz(text: String, binary: String) throws {
        try expectServerFixture(PGTimestamp.self, .timestamptz, text: text, binary: binary)
    }

    @Test func timestampWithoutZone() throws {
        try expectServerFixture(
            PGTimestamp.self, .timestamp, text: "2024-01-02 03:04:05.5", binary: "0002b0ec851d9460",
            textIsCanonical: false)
        try expectServerFixture(
            PGTimestamp.self, .timestamp, text: "1900-02-28 23:00:00", binary: "fff4ce90861afc00",
            textIsCanonical: false)
    }

    @Test(
        "timestamptz text in other session time zones is converted to UTC",
        arguments: [
            "2024-01-02 08:34:05+05:30", "2024-01-01 23:34:05-03:30",
        ])
    func otherZones(text: String) throws {
        let value = try decoded(PGTimestamp.self, text: text, .timestamptz)
        #expect(value.description == "2024-01-02 03:04:05+00")
        let monrovia = try decoded(
            PGTimestamp.self, text: "1960-01-02 02:19:35-00:44:30", .timestamptz)
        #expect(monrovia.description == "1960-01-02 03:04:05+00")
    }

    @Test func foundationDate() throws {
        let timestamp = try #require(
            PGTimestamp(
                year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 123_456))
        #expect(hex(try encoded(timestamp, .binary)) == "0002b0ec8517d580")
        let date = try #require(timestamp.date)
        #expect(hex(try encoded(date, .binary)) == "0002b0ec8517d580")
        #expect(
            try decoded(Date.self, bytes(hex: "0002b0ec8517d580"), .timestamptz, .binary) == date)
        #expect(abs(date.timeIntervalSince1970 - 1_704_164_645.123456) < 1e-6)
        #expect(PGTimestamp(date) == timestamp)
        #expect(
            decodingErrorKind {
                _ = try decoded(Date.self, bytes(hex: "7fffffffffffffff"), .timestamptz, .binary)
            }
            .map(isInvalidValue) == true)
        let components = try #require(timestamp.dateComponents)
        #expect(
            components.year == 2024 && components.hour == 3 && components.nanosecond == 123_456_000)
        #expect(PGDate(year: 2024, month: 2, day: 30) == nil)
        #expect(
            PGDate(year: 2024, month: 1, day: 2)?.date == Date(timeIntervalSince1970: 1_704_153_600)
        )
        #expect(PGTimestamp(year: 294_277, month: 1, day: 1) == nil)
    }

    @Test(arguments: [
        ("00:00:00", "0000000000000000"), ("04:05:06.5", "000000036c9361a0"),
        ("24:00:00", "000000141dd76000"), ("23:59:59.999999", "000000141dd75fff"),
    ])
    func time(text: String, binary: String) throws {
        try expectServerFixture(PGTime.self, .time, text: text, binary: binary)
    }

    @Test(arguments: [
        ("04:05:06+05:30", "000000036c8bc080ffffb2a8"),
        ("04:05:06-03:30:15", "000000036c8bc08000003147"),
        ("00:00:00+00", "000000000000000000000000"),
        ("23:59:59.25-15:59:59", "000000141dcbee500000e0ff"),
    ])
    func timetz(text: String, binary: String) throws {
        try expectServerFixture(PGTimeTZ.self, .timetz, text: text, binary: binary)
    }

    @Test func timetzOffsetSign() throws {
        let value = try decoded(
            PGTimeTZ.self, bytes(hex: "000000036c8bc080ffffb2a8"), .timetz, .binary)
        #expect(value.utcOffsetSeconds == 19_800)
    }

    @Test(arguments: [
        ("1 year 2 mons 3 days 04:05:06.5", "000000036c9361a0000000030000000e"),
        ("-1 years -2 mons +3 days -04:05:06", "fffffffc93743f8000000003fffffff2"),
        ("00:00:00", "00000000000000000000000000000000"),
        ("-1 days", "0000000000000000ffffffff00000000"),
        ("1 mon 1 day 00:00:01", "00000000000f42400000000100000001"),
        ("-00:00:00.5", "fffffffffff85ee00000000000000000"),
        ("100:00:00", "00000053d1ac10000000000000000000"),
        ("11 mons", "0000000000000000000000000000000b"),
        ("178000000 years", "0000000000000000000000007f50c600"),
        ("-178000000 years", "00000000000000000000000080af3a00"),
        ("2562047788:00:54.775807", "7fffffffffffffff0000000000000000"),
        ("1 day -00:00:01", "fffffffffff0bdc00000000100000000"),
        ("-1 mons +1 day", "000000000000000000000001ffffffff"),
    ])
    func interval(text: String, binary: String) throws {
        try expectServerFixture(PGInterval.self, .interval, text: text, binary: binary)
    }

    @Test func intervalExtremes() throws {
        let minimum = PGInterval(microseconds: .min)
        #expect(minimum.description == "-2562047788:00:54.775808")
        #expect(try decoded(PGInterval.self, text: minimum.description, .interval) == minimum)
        let components = PGInterval(months: 2, days: -1, microseconds: -1_500_000).dateComponents
        #expect(
            components.month == 2 && components.day == -1 && components.second == -1
                && components.nanosecond == -500_000_000)
    }

    @Test(
        "hostile date and time input gives typed errors",
        arguments: [
            (PGDataType.date, "2024-13-01"), (.date, "2024-02-30"), (.date, "24-01-01"),
            (.date, "0000-01-01"),
            (.timestamptz, "2024-01-02 25:00:00+00"),
            (.timestamptz, "2024-01-02 03:04:05.1234567+00"),
            (.timestamptz, "999999999-01-01 00:00:00+00"), (.timestamptz, "2024-01-02T03:04:05Z"),
            (.time, "24:00:01"), (.time, "4:05:06"), (.timetz, "04:05:06"),
            (.timetz, "04:05:06+99"),
            (.interval, "1 fortnight"), (.interval, "00:00:00 1 day"),
            (.interval, "99999999999 years"),
            (.interval, "9223372036854775807:00:00"),
        ])
    func hostileText(type: PGDataType, text: String) {
        let kind = decodingErrorKind {
            switch type {
            case .date: _ = try decoded(PGDate.self, text: text, type)
            case .time: _ = try decoded(PGTime.self, text: text, type)
            case .timetz: _ = try decoded(PGTimeTZ.self, text: text, type)
            case .interval: _ = try decoded(PGInterval.self, text: text, type)
            default: _ = try decoded(PGTimestamp.self, text: text, type)
            }
        }
        #expect(isInvalidValue(kind))
    }

    /// Found by the `copy` fuzz entry (`Fixtures/fuzz/copy/timestamp-out-of-range.bin`,
    /// `date-beyond-double.bin`): timestamps outside PostgreSQL's range, and Dates that could not
    /// be encoded again, were read. What is read now encodes back to the same bytes.
    @Test func timestampsReadAreTimestampsThatGoBack() throws {
        for outside in ["7fffff5bb3b2a000", "fd0f7cc1411f9fff"] {
            #expect(isInvalidValue(decodingErrorKind {
                _ = try decoded(PGTimestamp.self, bytes(hex: outside), .timestamptz, .binary)
            }))
        }
        for edge in ["7fffff5bb3b29fff", "fd0f7cc1411fa000", "7fffffffffffffff", "8000000000000000"] {
            let timestamp = try decoded(PGTimestamp.self, bytes(hex: edge), .timestamptz, .binary)
            #expect(hex(try encoded(timestamp, .binary)) == edge)
        }
        // Year 287,000 and more: a Double of seconds cannot come back as microseconds.
        for beyond in ["7ff8000000000000", "7fffff5bb3b29fff"] {
            #expect(isInvalidValue(decodingErrorKind {
                _ = try decoded(Date.self, bytes(hex: beyond), .timestamptz, .binary)
            }))
        }
        let first = try decoded(Date.self, bytes(hex: "fd0f7cc1411fa000"), .timestamptz, .binary)
        #expect(hex(try encoded(first, .binary)) == "fd0f7cc1411fa000")
    }

    /// Found by the `copy` fuzz entry: a `Date` read from 2142-09-18 12:28:44.xxxxxx was sent
    /// back a microsecond off (a quarter of that second's microseconds were), because the
    /// microseconds were taken from a product near 2^53. Within 2^33 seconds of 2001 every
    /// microsecond comes back; further out, none is further off than the `Double`'s own step.
    @Test func datesComeBackToTheMicrosecondWhereADoubleHoldsIt() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        let offset = PGCalendar.secondsFrom2000ToReferenceDate * 1_000_000
        let exactSpan: UInt64 = (1 << 33) * 1_000_000
        func roundTrip(_ micros: Int64) throws -> (Date, Int64) {
            let field = try encoded(PGTimestamp(microsecondsSince2000: micros), .binary)
            let date = try decoded(Date.self, field, .timestamptz, .binary)
            let back = try #require(PGTimestamp(date))
            return (date, back.microsecondsSince2000)
        }
        for _ in 0..<50_000 {
            let micros = Int64(next() % (2 * exactSpan)) - Int64(exactSpan) + offset
            #expect(try roundTrip(micros).1 == micros)
        }
        let upper = PGTimestamp.infinity.microsecondsSince2000 - 1
        for _ in 0..<50_000 {
            let micros = Int64(exactSpan) + offset + Int64(next() % UInt64(upper / 2))
            let (date, back) = try roundTrip(micros)
            let step = Int64((date.timeIntervalSinceReferenceDate.ulp * 1e6).rounded(.up))
            #expect(abs(back - micros) <= step)
        }
        let found = try #require(PGTimestamp(year: 2142, month: 9, day: 18, hour: 12, minute: 28, second: 44))
        for micro in stride(from: Int64(0), to: 1_000_000, by: 7) {
            let micros = found.microsecondsSince2000 + micro
            #expect(try roundTrip(micros).1 == micros)
        }
    }

    @Test func hostileBinary() {
        #expect(
            isInvalidLength(
                decodingErrorKind {
                    _ = try decoded(PGDate.self, bytes(hex: "000000"), .date, .binary)
                }))
        #expect(
            isInvalidLength(
                decodingErrorKind {
                    _ = try decoded(PGInterval.self, bytes(hex: "00"), .interval, .binary)
                }))
        #expect(
            isInvalidLength(
                decodingErrorKind {
                    _ = try decoded(PGTimeTZ.self, bytes(hex: "0000000000000000"), .timetz, .binary)
                }))
        #expect(
            isInvalidValue(
                decodingErrorKind {
                    _ = try decoded(PGTime.self, bytes(hex: "ffffffffffffffff"), .time, .binary)
                }))
        #expect(
            isInvalidValue(
                decodingErrorKind {
                    _ = try decoded(
                        PGTimeTZ.self, bytes(hex: "000000000000000080000000"), .timetz, .binary)
                }))
        // Any Int64 prints without trapping, even far outside the server's range.
        for micros in [Int64.max - 1, Int64.min + 1] {
            #expect(!PGTimestamp(microsecondsSince2000: micros).description.isEmpty)
            #expect(throws: PGEncodingError.self) {
                _ = try encoded(PGTimestamp(microsecondsSince2000: micros), .binary)
            }
        }
        for days in [Int32.max - 1, Int32.min + 1] {
            #expect(!PGDate(daysSince2000: days).description.isEmpty)
        }
    }
}
