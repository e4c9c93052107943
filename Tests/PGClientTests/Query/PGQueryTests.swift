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
