@testable import PGWire
import Testing

/// The statement cache's choices, including a statement run again straight after itself, which
/// is found without hashing its text.
@Suite("Statement cache")
struct StatementCacheTests {
    static func key(_ sql: String) -> StatementCache.Key {
        StatementCache.Key(sql: sql, parameterTypes: PGParameterTypes())
    }

    /// What the cache planned, as a line.
    static func plan(_ sql: String, in cache: inout StatementCache) -> String {
        switch cache.plan(for: key(sql)) {
        case .unnamed: "unnamed"
        case .parsedUnnamed: "parsed unnamed"
        case .prepare(let name, let evicted): "prepare \(name)" + (evicted.map { " close \($0)" } ?? "")
        case .cached(let name, let columns): "cached \(name)" + (columns == nil ? "" : " with columns")
        }
    }

    @Test func aStatementRunInAStreakStaysTheMostRecentlyUsed() {
        var cache = StatementCache(capacity: 2)
        #expect(Self.plan("A", in: &cache) == "prepare pgwire_1")
        #expect(Self.plan("B", in: &cache) == "prepare pgwire_2")
        #expect(Self.plan("A", in: &cache) == "cached pgwire_1")
        #expect(Self.plan("A", in: &cache) == "cached pgwire_1")
        #expect(Self.plan("A", in: &cache) == "cached pgwire_1")
        // B was used least recently.
        #expect(Self.plan("C", in: &cache) == "prepare pgwire_3 close pgwire_2")
        #expect(Self.plan("B", in: &cache) == "prepare pgwire_4 close pgwire_1")
    }

    @Test func theLatestStatementEvictedByTheNextIsPreparedAgain() {
        var cache = StatementCache(capacity: 1)
        #expect(Self.plan("A", in: &cache) == "prepare pgwire_1")
        #expect(Self.plan("A", in: &cache) == "cached pgwire_1")
        #expect(Self.plan("B", in: &cache) == "prepare pgwire_2 close pgwire_1")
        #expect(Self.plan("A", in: &cache) == "prepare pgwire_3 close pgwire_2")
    }

    @Test func theLatestStatementCarriesItsColumnsOnceDescribedUntilForgotten() {
        var cache = StatementCache(capacity: 4)
        #expect(Self.plan("A", in: &cache) == "prepare pgwire_1")
        #expect(Self.plan("A", in: &cache) == "cached pgwire_1")
        cache.describe(name: "pgwire_1", columns: PGColumns(BackendMessage.RowDescription(columns: [])))
        #expect(Self.plan("A", in: &cache) == "cached pgwire_1 with columns")
        cache.forgetColumns()
        #expect(Self.plan("A", in: &cache) == "cached pgwire_1")
    }

    @Test func theLatestStatementRemovedOrDiscardedIsPreparedAgain() {
        var cache = StatementCache(capacity: 4)
        #expect(Self.plan("A", in: &cache) == "prepare pgwire_1")
        let removed = cache.remove(name: "pgwire_1")
        #expect(removed)
        #expect(Self.plan("A", in: &cache) == "prepare pgwire_2")
        cache.removeAll()
        #expect(Self.plan("A", in: &cache) == "prepare pgwire_3")
        #expect(cache.count == 1)
    }
}
