import PGWire
import Testing

@testable import PGClient

/// How an interpolated query is built: its text, its bindings, and its rare fields (the first
/// value that could not be encoded, kept out of line, and an explicitly prepared statement).
@Suite("PGQuery: built by interpolation")
struct PGQueryTests {
    @Test func valuesBecomeNumberedPlaceholdersAndBindings() {
        let query: PGQuery = "SELECT \(Int32(1)), \("two")::text WHERE x = \(Int64(3))"
        #expect(query.sql == "SELECT $1, $2::text WHERE x = $3")
        #expect(query.bindings.count == 3)
        #expect(query.encodingError == nil)
        #expect(query.prepared == nil)
    }

    @Test func theFirstValueThatCannotBeEncodedIsKeptAndNothingOfItIsBound() {
        let query: PGQuery = "SELECT \(Int32(1)), \("a\u{0}b"), \("c\u{0}d")"
        #expect(query.sql == "SELECT $1, $0, $0")
        #expect(query.bindings.count == 1)
        #expect(query.encodingError?.kind == .encoding)
        #expect(query.encodingError?.message.contains("$2") == true)
    }

    @Test func aCopyKeepsItsOwnRareFields() {
        let original: PGQuery = "SELECT \("a\u{0}b")"
        var copy = original
        copy.prepared = PGPreparedTarget(name: "mine", columns: PGColumns.none)
        #expect(copy.prepared?.name == "mine")
        #expect(copy.encodingError?.kind == .encoding)  // kept beside the new field
        #expect(original.prepared == nil)
        copy.encodingError = nil
        #expect(copy.encodingError == nil)
        #expect(copy.prepared?.name == "mine")
        #expect(original.encodingError?.kind == .encoding)
    }

    @Test func identifiersAreQuotedWithInnerQuotesDoubled() {
        let query: PGQuery = "SELECT * FROM \(identifier: "Order \"Lines\"")"
        #expect(query.sql == #"SELECT * FROM "Order ""Lines""""#)
        #expect(query.bindings.count == 0)
    }
}

/// Texts around the length a `String` keeps inline, and past nine parameters.
@Suite("PGQuery: text of every length")
struct PGQueryTextLengthTests {
    @Test func shortAndLongTextsComeOutWhole() {
        let value = Int32(5)
        let fits: PGQuery = "SELECT \(value)::int4"
        #expect(fits.sql == "SELECT $1::int4")
        let longer: PGQuery = "SELECT \(value)::int4, \(value)"
        #expect(longer.sql == "SELECT $1::int4, $2")
        let empty: PGQuery = "\(value)"
        #expect(empty.sql == "$1")
    }

    @Test func twelveParametersAreNumberedInDecimal() {
        let v = Int64(1)
        let query: PGQuery = "VALUES (\(v),\(v),\(v),\(v),\(v),\(v),\(v),\(v),\(v),\(v),\(v),\(v))"
        #expect(query.sql == "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)")
        #expect(query.bindings.count == 12)
    }

    @Test func identifiersAndUnescapedTextJoinTheText() {
        let table = "Lines"
        let query: PGQuery = "SELECT \(unescaped: "count(*)") FROM \(identifier: table) WHERE id = \(Int64(2))"
        #expect(query.sql == #"SELECT count(*) FROM "Lines" WHERE id = $1"#)
    }

    @Test func textsLongerThanTheRoomInPlaceComeOutWhole() {
        let v = Int64(3)
        let long: PGQuery = """
            SELECT \(v) FROM a_rather_long_table_name_for_this_test t JOIN another_rather_long_table_name u \
            ON u.id = t.id WHERE t.x = \(v) AND u.y = \(v) AND t.created_at > now() - interval '1 day'
            """
        #expect(long.sql == """
            SELECT $1 FROM a_rather_long_table_name_for_this_test t JOIN another_rather_long_table_name u \
            ON u.id = t.id WHERE t.x = $2 AND u.y = $3 AND t.created_at > now() - interval '1 day'
            """)
        let columns = (1...60).map { "c\($0)" }.joined(separator: ", ")
        let grown: PGQuery = "SELECT \(unescaped: columns) FROM t WHERE x = \(v) AND \(identifier: "é\"") = \(v)"
        #expect(grown.sql == "SELECT \(columns) FROM t WHERE x = $1 AND \"é\"\"\" = $2")
        #expect(grown.bindings.count == 2)
    }
}
