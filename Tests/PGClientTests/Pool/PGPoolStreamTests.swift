import NIOCore
import PGLocalCluster
import Testing

@testable import PGClient

/// Streamed rows, COPY and typed statements through the pool, against the shared server: the
/// connection is held exactly while the stream or the COPY is alive.
@Suite("Pool streams and COPY", .timeLimit(.minutes(15)))
struct PGPoolStreamTests {
    static func withOneConnectionPool<Value: Sendable>(
        _ application: String, _ body: (PGPool) async throws -> Value
    ) async throws -> Value {
        var config = try await PGPoolProductionTests.configuration(application: application)
        config.maxConnections = 1
        return try await PGPoolIntegrationTests.withPool(config, body)
    }

    @Test func aStreamHoldsItsConnectionUntilTheLastRow() async throws {
        try await Self.withOneConnectionPool("pool-stream") { pool in
            let rows = try await pool.stream("SELECT generate_series(1, 1000)::int4")
            #expect(pool.statistics.used == 1)
            var sum = 0
            for try await row in rows { sum += Int(try row.decode(Int32.self, at: 0)) }
            #expect(sum == 500_500)
            #expect(rows.commandTag == "SELECT 1000")
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.idle == 1 }
            #expect(pool.statistics.created == 1 && pool.statistics.closed == 0)
        }
    }

    @Test func anAbandonedStreamReturnsItsConnection() async throws {
        try await Self.withOneConnectionPool("pool-stream-abandoned") { pool in
            try await Self.readOneRowAndDrop(pool)
            // The pool's only connection came back: the next caller gets it, drained.
            let value = try await pool.query("SELECT 7::int4").first?.decode(Int32.self, at: 0)
            #expect(value == 7)
            let statistics = pool.statistics
            #expect(statistics.created == 1 && statistics.closed == 0, "\(statistics)")

            // A stream never iterated at all comes back too.
            _ = try await pool.stream("SELECT generate_series(1, 10)")
            #expect(try await pool.query("SELECT 8::int4").first?.decode(Int32.self, at: 0) == 8)
        }
    }

    /// Reads the first of many rows and lets the stream go.
    static func readOneRowAndDrop(_ pool: PGPool) async throws {
        let rows = try await pool.stream("SELECT generate_series(1, 20000)::int4")
        var iterator = rows.makeAsyncIterator()
        #expect(try await iterator.next()?.decode(Int32.self, at: 0) == 1)
        #expect(pool.statistics.used == 1)
    }

    @Test func aFailedStreamReturnsItsConnection() async throws {
        try await Self.withOneConnectionPool("pool-stream-fails") { pool async throws in
            await #expect(throws: PGError.self) {
                for try await _ in try await pool.stream("SELECT 1 / (3 - generate_series(1, 5))") {}
            }
            await #expect(throws: PGError.self) { try await pool.stream("SELECT * FROM no_such_table") }
            #expect(try await pool.query("SELECT 9::int4").first?.decode(Int32.self, at: 0) == 9)
        }
    }

    @Test func copyInAndOutGoThroughThePool() async throws {
        try await Self.withOneConnectionPool("pool-copy") { pool in
            try await pool.execute("CREATE TABLE pool_copy_items (id int4, name text)")
            let lines = AsyncStream<ByteBuffer> { continuation in
                continuation.yield(ByteBuffer(string: "1,one\n2,two\n"))
                continuation.finish()
            }
            let text = try await pool.copyIn("COPY pool_copy_items FROM STDIN (FORMAT csv)", from: lines)
            #expect(text.rowCount == 2)
            let binary = try await pool.copyIn("COPY pool_copy_items FROM STDIN (FORMAT binary)") { writer in
                try await writer.append(Int32(3), "three")
            }
            #expect(binary.rowCount == 1)
            let four = try PGCopyRow(Int32(4), "four")
            let rows = AsyncStream<PGCopyRow> { continuation in
                continuation.yield(four)
                continuation.finish()
            }
            #expect(try await pool.copyIn("COPY pool_copy_items FROM STDIN (FORMAT binary)", rows: rows).rowCount == 1)

            var output = ""
            let data = try await pool.copyOut("COPY (SELECT id, name FROM pool_copy_items ORDER BY id) TO STDOUT (FORMAT csv)")
            #expect(pool.statistics.used == 1)
            for try await chunk in data { output += String(buffer: chunk) }
            #expect(output == "1,one\n2,two\n3,three\n4,four\n")

            // An abandoned COPY OUT gives its connection back too.
            do {
                var chunks = try await pool.copyOut("COPY (SELECT generate_series(1, 50000)) TO STDOUT").makeAsyncIterator()
                #expect(try await chunks.next() != nil)
            }
            try await pool.execute("DROP TABLE pool_copy_items")
            let statistics = pool.statistics
            #expect(statistics.created == 1 && statistics.closed == 0, "\(statistics)")
        }
    }

    @Test func typedStatementsRunOnWhicheverConnectionThePoolLends() async throws {
        var config = try await PGPoolProductionTests.configuration(application: "pool-typed")
        config.maxConnections = 3
        // Every return resets the session, and with it the prepared statements.
        config.sessionReset = .discardAllAlways
        let add = PGPoolStatement("SELECT $1::int4 + $2::int4", parameters: (Int32, Int32).self)
        let series = PGPoolStatement("SELECT generate_series(1, $1)", parameters: Int32.self)
        try await PGPoolIntegrationTests.withPool(config) { pool in
            #expect(try await pool.query(add, 2, 3).first?.decode(Int32.self, at: 0) == 5)
            let sums = try await withThrowingTaskGroup(of: Int32.self) { group in
                for i in Int32(0)..<20 {
                    group.addTask { try await pool.query(add, i, i).first?.decode(Int32.self, at: 0) ?? -1 }
                }
                return try await group.reduce(into: [Int32]()) { $0.append($1) }
            }
            #expect(sums.sorted() == (Int32(0)..<20).map { $0 * 2 })
            var count = 0
            for try await _ in try await pool.stream(series, 10) { count += 1 }
            #expect(count == 10)
            #expect(try await pool.execute(series, 4).rowCount == 4)
        }
    }
}
