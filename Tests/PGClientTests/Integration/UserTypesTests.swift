import Foundation
import NIOCore
import PGClient
import Testing

private struct Preferences: Codable, PGJSONCodable, Equatable {
    var theme: String
    var digest: Bool
    var tags: [String]
}

private enum Priority: Int16, PGRawRepresentable { case low = 1, normal, high }
private enum Mood: String, PGEnum { case happy, sad, unicode = "ünïcödé" }

/// Codable as jsonb, RawRepresentable and PostgreSQL enums, the type registry (enums, composites,
/// domains and their arrays), ranges and multiranges, and PGError's description — against the
/// real server.
@Suite("User types")
struct UserTypesTests {
    @Test func codableValuesAreJSONB() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE settings (id int4, preferences jsonb, raw json)")
            let value = Preferences(theme: "dark", digest: true, tags: ["ü", "\"q\""])
            try await connection.execute(
                "INSERT INTO settings VALUES (1, \(value), \(PGJSONValue(["n": 3]))::json)")
            let rows = try await connection.query(
                "SELECT preferences, raw, preferences->>'theme', jsonb_typeof(preferences) FROM settings").collect()
            let row = try #require(rows.first)
            #expect(row.columns.descriptions[0].dataType == .jsonb)
            let (back, raw, theme, kind) = try row.decode((Preferences, PGJSONValue<[String: Int]>, String, String).self)
            #expect(back == value)
            #expect(raw.value == ["n": 3])
            #expect(theme == "dark" && kind == "object")
            // As a property of a record decoded by column name.
            struct Setting: Decodable { let id: Int32; let preferences: Preferences }
            let record = try #require(try await connection.query("SELECT id, preferences FROM settings").collect().first)
            #expect(try record.decode(as: Setting.self).preferences == value)
            // Through the simple protocol (text format) too.
            let text = try await connection.simpleQuery("SELECT preferences FROM settings")
            #expect(try text.first?.rows.first?.decode(Preferences.self, at: 0) == value)
            // JSON of another shape is a decoding error naming the column.
            let wrong = try await connection.query("SELECT '{\"theme\": 1}'::jsonb AS doc").collect()
            let error = #expect(throws: PGError.self) { try wrong.first?.decode(Preferences.self, at: 0) }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("\"doc\"") == true)
        }
    }

    @Test func rawRepresentableAndEnums() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("""
                CREATE TYPE pg_temp.mood AS ENUM ('happy', 'sad', 'ünïcödé');
                CREATE TEMP TABLE people (name text, priority int2, mood pg_temp.mood, moods pg_temp.mood[])
                """)
            // A PGEnum is sent without an OID: the server infers the enum type from the column.
            try await connection.execute(
                "INSERT INTO people VALUES (\("ann"), \(Priority.high), \(Mood.unicode), \([Mood.happy, .sad].map(\.rawValue))::pg_temp.mood[])")
            let rows = try await connection.query(
                "SELECT priority, mood FROM people WHERE mood = \(Mood.unicode)").collect()
            let row = try #require(rows.first)
            #expect(row.columns.descriptions[1].dataType.isUserDefined)
            let (priority, mood) = try row.decode((Priority, Mood).self)
            #expect(priority == .high && mood == .unicode)
            // A raw value that is no case is a decoding error.
            let bad = try await connection.query("SELECT 9::int2").collect()
            let error = #expect(throws: PGError.self) { try bad.first?.decode(Priority.self, at: 0) }
            #expect(error?.message.contains("is not a case of Priority") == true)
        }
    }

    @Test func unknownBinaryTypesFailUntilLoaded() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TYPE pg_temp.mood AS ENUM ('happy', 'sad')")
            let sql: PGQuery = "SELECT 'happy'::pg_temp.mood, ARRAY['happy', 'sad']::pg_temp.mood[]"
            let before = try #require(try await connection.query(sql).collect().first)
            let error = #expect(throws: PGError.self) { try before.decode(String.self, at: 0) }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("unknown to this connection") == true)
            #expect(throws: PGError.self) { try before.decode([String].self, at: 1) }

            let loaded = try await connection.loadTypes(["pg_temp.mood"])
            #expect(loaded.map(\.name) == ["mood"])
            #expect(loaded.first?.kind == .enumeration(labels: ["happy", "sad"]))
            let registry = connection.typeRegistry
            #expect(registry["mood"]?.arrayType == registry[try #require(loaded.first?.arrayType)]?.dataType)
            // The same (cached) statement now reads the enum and its array.
            let after = try #require(try await connection.query(sql).collect().first)
            let (label, labels) = try after.decode((String, [String]).self)
            #expect(label == "happy" && labels == ["happy", "sad"])
            #expect(try after.decode([Mood].self, at: 1) == [.happy, .sad])

            let missing = await #expect(throws: PGError.self) { try await connection.loadTypes(["no_such_type"]) }
            #expect(missing?.message.contains("no_such_type") == true)
        }
    }

    @Test func compositesAndDomains() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("""
                CREATE TYPE pg_temp.mood AS ENUM ('happy', 'sad');
                CREATE TYPE pg_temp.address AS (street text, zip int4, mood pg_temp.mood);
                CREATE DOMAIN pg_temp.positive AS int4 CHECK (VALUE > 0)
                """)
            let types = try await connection.loadTypes(["pg_temp.address", "pg_temp.positive"])
            #expect(types.count == 2)
            guard case .composite(let fields) = types.first?.kind else {
                Issue.record("address is not a composite: \(types)")
                return
            }
            #expect(fields.map(\.name) == ["street", "zip", "mood"])
            // The enum of a field came with the composite.
            #expect(connection.typeRegistry["mood"] != nil)
            #expect(types.last?.kind == .domain(base: .int4))

            let rows = try await connection.query("""
                SELECT ROW('Main St', 12345, 'sad')::pg_temp.address,
                       ARRAY[ROW('A', 1, 'happy')::pg_temp.address, NULL],
                       \(Int32(7))::pg_temp.positive, ARRAY[1, 2]::pg_temp.positive[], ROW(1, 'x')
                """).collect()
            let row = try #require(rows.first)
            let address = try row.decode(PGRecord.self, at: 0)
            let (street, zip, mood) = try address.decode((String, Int32, Mood).self)
            #expect(street == "Main St" && zip == 12345 && mood == .sad)
            let list = try row.decode([PGRecord?].self, at: 1)
            #expect(list.count == 2 && list[1] == nil)
            #expect(try list[0]?.decode(String.self, at: 0) == "A")
            #expect(try row.decode(Int32.self, at: 2) == 7)
            #expect(try row.decode([Int32].self, at: 3) == [1, 2])
            let anonymous = try row.decode(PGRecord.self, at: 4)
            let (one, x) = try anonymous.decode((Int32, String).self)
            #expect(one == 1 && x == "x")
        }
    }

    @Test func ranges() async throws {
        try await expectRoundTrips(
            [PGRange<Int32>(1..<10), .empty, PGRange(..<5), PGRange(3...), PGRange(lower: .unbounded, upper: .unbounded)],
            as: "int4range", dataType: .int4range)
        try await expectRoundTrips([PGRange<Int64>(Int64.min..<Int64.max)], as: "int8range", dataType: .int8range)
        let numbers = try ["1.5", "2.25", "-0.001"].map { try #require(PGNumeric($0)) }
        try await expectRoundTrips(
            [PGRange(lower: .exclusive(numbers[0]), upper: .inclusive(numbers[1])), PGRange(lower: .inclusive(numbers[2]), upper: .unbounded)],
            as: "numrange", dataType: .numrange)
        let days = try [(2026, 1, 5), (2026, 1, 12)].map { try #require(PGDate(year: $0.0, month: $0.1, day: $0.2)) }
        try await expectRoundTrips([PGRange(days[0]..<days[1])], as: "daterange", dataType: .daterange)
        let start = Date(timeIntervalSince1970: 1_767_607_200)
        try await expectRoundTrips(
            [PGRange(start..<start.addingTimeInterval(5400)), PGRange(lower: .exclusive(start), upper: .unbounded)],
            as: "tstzrange", dataType: .tstzrange)
        try await expectRoundTrips(
            [PGMultirange<Int32>([PGRange(1..<3), PGRange(5..<8)]), PGMultirange([])],
            as: "int4multirange", dataType: .int4multirange)
        try await expectRoundTrips(
            [PGMultirange<PGDate>([PGRange(days[0]..<days[1])])], as: "datemultirange", dataType: .datemultirange)
        // The server canonicalizes discrete ranges, and merges a multirange's ranges.
        try await TestDatabase.withConnection { connection in
            let rows = try await connection.query(
                "SELECT \(PGRange<Int32>(1...3)), \(PGMultirange<Int32>([PGRange(1..<3), PGRange(2..<6), .empty]))").collect()
            let (range, multirange) = try #require(rows.first).decode((PGRange<Int32>, PGMultirange<Int32>).self)
            #expect(range == PGRange(1..<4))
            #expect(multirange == PGMultirange([PGRange(1..<6)]))
            let contains = try await connection.query(
                "SELECT \(PGRange<Int32>(1..<10)) @> \(Int32(9)), \(PGRange<Int32>(1..<10)) @> \(Int32(10))").collect()
            let (nine, ten) = try #require(contains.first).decode((Bool, Bool).self)
            #expect(nine && !ten)
        }
    }

    @Test func errorsDescribeThemselves() async throws {
        try await TestDatabase.withConnection { connection in
            let syntax = await #expect(throws: PGError.self) { try await connection.execute("SELEC 1") }
            let description = try #require(syntax).localizedDescription
            #expect(description.contains("syntax error"))
            #expect(description.contains("SQLSTATE 42601"))
            #expect(description.contains("POSITION: 1"))

            try await connection.simpleQuery("CREATE TEMP TABLE unique_codes (code text PRIMARY KEY)")
            try await connection.execute("INSERT INTO unique_codes VALUES ('a')")
            let duplicate = await #expect(throws: PGError.self) {
                try await connection.execute("INSERT INTO unique_codes VALUES ('a')")
            }
            let error = try #require(duplicate)
            #expect(error.localizedDescription.contains("DETAIL: Key (code)=(a) already exists."))
            #expect(error.failureReason == "Key (code)=(a) already exists.")
            #expect((error as any Error).localizedDescription == error.errorDescription)
        }
    }
}
