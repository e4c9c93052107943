import Foundation
import NIOCore
import PGClient
import PGWire
import Testing

/// Every type of the wire core through the real server: binary parameters in, binary results
/// out, and the server's text form back through the simple protocol.
@Suite("Type round trips")
struct TypeRoundTripTests {
    @Test func bool() async throws {
        try await expectRoundTrips([true, false], as: "bool", dataType: .bool)
    }

    @Test func integers() async throws {
        try await expectRoundTrips([Int16.min, -1, 0, 1, .max], as: "int2", dataType: .int2)
        try await expectRoundTrips([Int32.min, -1, 0, 42, .max], as: "int4", dataType: .int4)
        try await expectRoundTrips([Int64.min, -1, 0, 1 << 40, .max], as: "int8", dataType: .int8)
        try await expectRoundTrips([Int.min, 0, .max], as: "int8", dataType: .int8)
    }

    @Test func floats() async throws {
        func same<F: FloatingPoint>(_ a: F, _ b: F) -> Bool {
            a.isNaN ? b.isNaN : a == b && a.sign == b.sign
        }
        try await expectRoundTrips(
            [Float(1.5), -0.0, 3.4028235e38, .leastNonzeroMagnitude, .leastNormalMagnitude, .pi, .nan, .infinity, -.infinity],
            as: "float4", dataType: .float4, bind: { $0 }, same: same)
        try await expectRoundTrips(
            [Double(1.5), -0.0, .pi, 1.7976931348623157e308, .leastNonzeroMagnitude, .leastNormalMagnitude, 0.1, .nan, .infinity, -.infinity],
            as: "float8", dataType: .float8, bind: { $0 }, same: same)
    }

    @Test func numeric() async throws {
        let texts = [
            "0", "19.99", "-0.01", "1234567.8900", "100000000000000000000000000000000",
            "123456789012345678901234567890.123456789012345678901234567890",
            "0.000000000000000000000000000000000000000001", "-99999999999999.9999", "NaN",
            "Infinity", "-Infinity",
        ]
        let values = try texts.map { text in try #require(PGNumeric(text), "\(text)") }
        try await expectRoundTrips(values, as: "numeric", dataType: .numeric)
        // The scale survives: 12.30 is not 12.3.
        try await TestDatabase.withConnection { connection in
            let rows = try await connection.query("SELECT \(try #require(PGNumeric("12.30")))::numeric::text").collect()
            #expect(try rows.first?.decode(String.self, at: 0) == "12.30")
            let huge = String(repeating: "9", count: 1000) + "." + String(repeating: "1", count: 1000)
            let value = try #require(PGNumeric(huge))
            let back = try await connection.query("SELECT \(value)").collect()
            #expect(try back.first?.decode(PGNumeric.self, at: 0).description == huge)
        }
        let money = try [Decimal(string: "19.99"), Decimal(string: "-1234567.89"), Decimal(0)].map { try #require($0) }
        try await expectRoundTrips(money, as: "numeric", dataType: .numeric)
    }

    @Test func textTypes() async throws {
        let strings = ["", "hello", "it's \"quoted\", \\ back", "üñíçødé 名前 🎉", String(repeating: "x", count: 100_000)]
        try await expectRoundTrips(strings, as: "text", dataType: .text)
        try await expectRoundTrips(strings, as: "varchar", dataType: .varchar, boundAs: VarcharParameter.self)
        try await expectRoundTrips(["a", "abc", "名前"], as: "bpchar", dataType: .bpchar, boundAs: BpcharParameter.self)
        try await expectRoundTrips(["pg_catalog", "üsér_名前"], as: "name", dataType: .name, boundAs: NameParameter.self)
        try await expectRoundTrips([PGChar("x"), PGChar("A"), PGChar(rawValue: 0xE9)], as: "\"char\"", dataType: .char)
        // char(n) pads with spaces; the padding comes back.
        try await TestDatabase.withConnection { connection in
            let rows = try await connection.query("SELECT \("ab")::char(5)").collect()
            #expect(try rows.first?.decode(String.self, at: 0) == "ab   ")
        }
    }

    @Test func bytea() async throws {
        let values = [ByteBuffer(), ByteBuffer(bytes: Array(0...255)), ByteBuffer(bytes: [0, 0, 0x5C, 0x27])]
        try await expectRoundTrips(values, as: "bytea", dataType: .bytea)
    }

    @Test func uuid() async throws {
        let values = [UUID(), try #require(UUID(uuidString: "00000000-0000-0000-0000-000000000000")),
                      try #require(UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"))]
        try await expectRoundTrips(values, as: "uuid", dataType: .uuid)
    }

    @Test func dateAndTime() async throws {
        let dates = [
            try #require(PGDate(year: 2024, month: 2, day: 29)), try #require(PGDate(year: 1, month: 1, day: 1)),
            try #require(PGDate(year: 9999, month: 12, day: 31)), try #require(PGDate(year: 1999, month: 12, day: 31)),
            PGDate.infinity, PGDate.negativeInfinity,
        ]
        try await expectRoundTrips(dates, as: "date", dataType: .date)

        let times = [
            try #require(PGTime(hour: 0)), try #require(PGTime(hour: 23, minute: 59, second: 59, microsecond: 999_999)),
            try #require(PGTime(hour: 12, minute: 34, second: 56, microsecond: 789)),
        ]
        try await expectRoundTrips(times, as: "time", dataType: .time)

        let zoned = [
            PGTimeTZ(time: times[2], utcOffsetSeconds: 19_800), PGTimeTZ(time: times[1], utcOffsetSeconds: -12_600),
            PGTimeTZ(time: times[0], utcOffsetSeconds: 0),
        ]
        try await expectRoundTrips(zoned, as: "timetz", dataType: .timetz)
        // The offset's sign: +05:30 is east of Greenwich, 19800 seconds.
        try await TestDatabase.withConnection { connection in
            let rows = try await connection.query("SELECT '04:05:06+05:30'::timetz").collect()
            #expect(try rows.first?.decode(PGTimeTZ.self, at: 0).utcOffsetSeconds == 19_800)
        }
    }

    @Test func timestamps() async throws {
        let values = [
            try #require(PGTimestamp(year: 2024, month: 2, day: 29, hour: 13, minute: 14, second: 15, microsecond: 123_456)),
            try #require(PGTimestamp(year: 1970, month: 1, day: 1)),
            try #require(PGTimestamp(year: 1, month: 1, day: 1, microsecond: 1)),
            try #require(PGTimestamp(year: 2000, month: 1, day: 1, microsecond: 999_999)),
            PGTimestamp.infinity, PGTimestamp.negativeInfinity,
        ]
        try await expectRoundTrips(values, as: "timestamptz", dataType: .timestamptz)
        try await expectRoundTrips(values, as: "timestamp", dataType: .timestamp, boundAs: TimestampParameter.self)

        let dates = [Date(timeIntervalSince1970: 1_700_000_000.123456), Date(timeIntervalSince1970: 0),
                     Date(timeIntervalSince1970: -1_000_000_000.5)]
        try await expectRoundTrips(
            dates, as: "timestamptz", dataType: .timestamptz, bind: { $0 },
            same: { abs($0.timeIntervalSince($1)) < 1e-6 })
        // The microseconds are exact: the server sees .123456.
        try await TestDatabase.withConnection { connection in
            let rows = try await connection.query("SELECT extract(microseconds FROM \(values[0]))::int8 % 1000000").collect()
            #expect(try rows.first?.decode(Int64.self, at: 0) == 15_123_456 % 1_000_000)
        }
    }

    @Test func interval() async throws {
        let values = [
            PGInterval(), PGInterval(months: 14, days: 3, microseconds: 4_000_005),
            PGInterval(months: -1, days: -2, microseconds: -3), PGInterval(microseconds: 86_400_000_000 * 3 + 1),
        ]
        try await expectRoundTrips(values, as: "interval", dataType: .interval)
    }

    @Test func json() async throws {
        let documents = [#"{"a": 1, "b": [true, null, "ü"]}"#, "[]", #""text""#, "42"]
        try await expectRoundTrips(documents.map(PGJSON.init), as: "jsonb", dataType: .jsonb)
        try await expectRoundTrips(documents.map(PGJSON.init), as: "json", dataType: .json, bind: { TypedParameter<JSONParameter, String>($0.text) }, same: ==)
        // json keeps the text as sent; jsonb normalises it.
        try await TestDatabase.withConnection { connection in
            let spaced = #"{ "b":1,   "a":2 }"#
            let rows = try await connection.query(
                "SELECT \(TypedParameter<JSONParameter, String>(spaced)), \(PGJSON(spaced))").collect()
            let (json, jsonb) = try #require(rows.first).decode((PGJSON, PGJSON).self)
            #expect(json.text == spaced)
            #expect(jsonb.text == #"{"a": 2, "b": 1}"#)
        }
    }

    @Test func oid() async throws {
        try await expectRoundTrips([UInt32(0), 1, 16_384, .max], as: "oid", dataType: .oid)
    }

    @Test func network() async throws {
        let inets = try ["192.168.0.1", "192.168.0.1/24", "::1", "2001:db8::1/64", "0.0.0.0/0"].map {
            try #require(PGInet($0), "\($0)")
        }
        try await expectRoundTrips(inets, as: "inet", dataType: .inet)
        let cidrs = try ["10.0.0.0/8", "2001:db8::/32", "192.168.1.0/24"].map {
            try #require(PGInet($0, isCIDR: true), "\($0)")
        }
        try await expectRoundTrips(cidrs, as: "cidr", dataType: .cidr, boundAs: CIDRParameter.self)
    }

    @Test func oneDimensionalArrays() async throws {
        try await expectRoundTrips([[Int32?](), [1, nil, 3], [nil]], as: "int4[]", dataType: .int4Array)
        try await expectRoundTrips(
            [["a", "b,c", "d\"e", "NULL", "", "名前 🎉", "back\\slash"]] as [[String]],
            as: "text[]", dataType: .textArray)
        try await expectRoundTrips([[Int64.min, 0, .max]], as: "int8[]", dataType: .int8Array)
        try await expectRoundTrips([[true, false]], as: "bool[]", dataType: .boolArray)
        try await expectRoundTrips([[UUID(), UUID()]], as: "uuid[]", dataType: .uuidArray)
        try await expectRoundTrips([[try #require(PGNumeric("1.50")), .nan]], as: "numeric[]", dataType: .numericArray)
        try await expectRoundTrips([[Double.infinity, 2.5]], as: "float8[]", dataType: .float8Array)
        try await expectRoundTrips([[PGJSON(#"{"k": [1]}"#)]], as: "jsonb[]", dataType: .jsonbArray)
        try await expectRoundTrips([[PGTimestamp.infinity, PGTimestamp(microsecondsSince2000: 1)]], as: "timestamptz[]", dataType: .timestamptzArray)
    }

    @Test func arraysWithShapeAndLowerBounds() async throws {
        let twoByThree = try #require(PGArray<Int32>(dimensions: [2, 3], elements: [1, nil, 3, 4, 5, nil]))
        let shifted = PGArray<Int32>([7, nil, 9], lowerBound: -2)
        let zeroBased = try #require(PGArray<String>(dimensions: [2, 2], lowerBounds: [0, 5], elements: ["a", nil, "c", "d"]))
        try await expectRoundTrips([twoByThree, shifted, PGArray<Int32>([])], as: "int4[]", dataType: .int4Array)
        try await expectRoundTrips([zeroBased], as: "text[]", dataType: .textArray)
        try await TestDatabase.withConnection { connection in
            let rows = try await connection.query(
                "SELECT array_lower(\(shifted), 1), \(twoByThree)::text, array_dims(\(zeroBased))").collect()
            let (lower, text, dims) = try #require(rows.first).decode((Int32, String, String).self)
            #expect(lower == -2)
            #expect(text == "{{1,NULL,3},{4,5,NULL}}")
            #expect(dims == "[0:1][5:6]")
        }
    }

    @Test func enumDecodesAsString() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TYPE pg_temp.mood AS ENUM ('happy', 'sad', 'ünïcödé')")
            // In binary an enum is read as its label once the connection knows the type.
            try await connection.loadTypes(["pg_temp.mood"])
            for label in ["happy", "ünïcödé"] {
                let rows = try await connection.query("SELECT \(label)::pg_temp.mood, ARRAY[\(label)::pg_temp.mood, 'sad']").collect()
                let row = try #require(rows.first)
                #expect(row.columns.descriptions[0].dataType.rawValue >= 16_384)
                #expect(try row.decode(String.self, at: 0) == label)
                #expect(try row.decode([String].self, at: 1) == [label, "sad"])
            }
            let text = try await connection.simpleQuery("SELECT 'sad'::pg_temp.mood")
            #expect(try text.first?.rows.first?.decode(String.self, at: 0) == "sad")
        }
    }

    @Test func wrongSwiftTypeIsADecodingError() async throws {
        try await TestDatabase.withConnection { connection in
            let rows = try await connection.query("SELECT 1::int4, NULL::text").collect()
            let row = try #require(rows.first)
            let mismatch = #expect(throws: PGError.self) { try row.decode(String.self, at: 0) }
            #expect(mismatch?.kind == .decoding)
            let null = #expect(throws: PGError.self) { try row.decode(String.self, at: 1) }
            #expect(null?.kind == .decoding)
            #expect(try row.decode(String?.self, at: 1) == nil)
        }
    }
}
