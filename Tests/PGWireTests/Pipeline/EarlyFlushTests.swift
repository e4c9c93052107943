@testable import PGWire
import Testing

/// Where a batch asks the server for its results before its Sync.
@Suite("Statement writes: a batch's early Flush")
struct EarlyFlushTests {
    static let write = StatementWrite(name: "pgwire_1", parses: false, describes: false, evicted: nil)

    @Test(arguments: [(1, nil), (31, nil), (32, 28), (100, 88), (250, 219), (10_000, 8_750)] as [(Int, Int?)])
    func aBatchOf32OrMoreFlushesAfterAllButItsLastEighth(count: Int, flushAfter: Int?) {
        let repeated = StatementWrites.repeated(first: Self.write, later: Self.write, count: count)
        #expect(repeated.earlyFlushAfter == flushAfter)
        let each = StatementWrites.each(Array(repeating: Self.write, count: count))
        #expect(each.earlyFlushAfter == flushAfter)
    }
}
