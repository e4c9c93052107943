import NIOCore
import PGClient
import PGWire
import Testing

/// The performance core against the real server: pipelines with an error in the middle, the
/// prepared-statement cache across `ALTER TABLE` and `DISCARD ALL`, and the unnamed-only mode.
@Suite("Pipelines and the statement cache")
struct PipelineAndCacheTests {
    @Test func anErrorInTheMiddleOfAOneSyncPipelineSkipsTheRest() async throws {
        try await TestDatabase.withConnection { connection in
            let table = "pipe_\(UInt32.random(in: 0...UInt32.max))"
            try await connection.simpleQuery("CREATE TEMP TABLE \(table) (n int4)")
            let results = try await connection.pipeline([
                "INSERT INTO \(unescaped: table) VALUES (\(Int32(1)))",
                "SELECT \(Int32(7)) / \(Int32(0))",
                "INSERT INTO \(unescaped: table) VALUES (\(Int32(3)))",
            ])
            #expect(results.count == 3)
            #expect((try? results[0].get()) != nil)
            guard case .failure(let failed) = results[1], case .failure(let skipped) = results[2] else {
                Issue.record("statements 2 and 3 did not fail: \(results)")
                return
            }
            #expect(failed.sqlState == .divisionByZero)
            #expect(skipped.kind == .skipped)
            // One Sync: the statements were one implicit transaction, so the first insert is gone.
            #expect(try await connection.scalar("SELECT count(*) FROM \(table)") == "0")
            #expect(connection.transactionStatus == .idle)
            #expect(try await connection.scalar("SELECT 1") == "1")
        }
    }

    @Test func aSyncAfterEachStatementKeepsTheOthers() async throws {
        try await TestDatabase.withConnection { connection in
            let table = "pipe_\(UInt32.random(in: 0...UInt32.max))"
            try await connection.simpleQuery("CREATE TEMP TABLE \(table) (n int4)")
            let results = try await connection.pipeline([
                "INSERT INTO \(unescaped: table) VALUES (\(Int32(1)))",
                "SELECT \(Int32(7)) / \(Int32(0))",
                "INSERT INTO \(unescaped: table) VALUES (\(Int32(3)))",
            ], sync: .afterEach)
            #expect((try? results[0].get()) != nil)
            #expect((try? results[2].get()) != nil)
            #expect(try await connection.scalar("SELECT count(*) FROM \(table)") == "2")
        }
    }

    /// Each statement is a request of its own, written as a query is; on a closed connection
    /// each one fails as not sent, in order, and the call itself does not throw.
    @Test func aSyncAfterEachStatementOnAClosedConnectionFailsEachAsNotSent() async throws {
        let connection = try await TestDatabase.connect()
        await connection.close()
        let results = try await connection.pipeline(["SELECT 1", "SELECT 2", "SELECT 3"], sync: .afterEach)
        #expect(results.count == 3)
        for result in results {
            guard case .failure(let error) = result else {
                Issue.record("a statement ran on a closed connection")
                continue
            }
            #expect(error.kind == .connectionClosed)
            #expect(!error.requestWasSent)
        }
    }

    /// Concurrent pipelines with a Sync after each statement, from tasks on the global executor:
    /// every statement gets its own result, in its own order.
    @Test func concurrentPipelinesWithASyncAfterEachGetTheirOwnResults() async throws {
        try await TestDatabase.withConnection { connection in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        let values = (0..<20).map { Int32(task * 100 + $0) }
                        let results = try await connection.pipeline(values.map { "SELECT \($0)::int4" }, sync: .afterEach)
                        let decoded = try results.map { try $0.get().rows.first?.decode(Int32.self, at: 0) }
                        #expect(decoded == values)
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func aStalePlanAfterAlterTableIsPreparedAgain() async throws {
        // The cached statement's result type changed: the server refuses it, the cache drops
        // it, and the query runs again, prepared anew.
        try await TestDatabase.withConnection { connection in
            try await expectStalePlanPreparedAgain(on: connection)
        }
    }

    @Test func aStalePlanInsideATransactionIsReportedNotRetried() async throws {
        try await TestDatabase.withConnection { connection in
            let table = "stale_\(UInt32.random(in: 0...UInt32.max))"
            try await connection.simpleQuery("CREATE TEMP TABLE \(table) (a int4); INSERT INTO \(table) VALUES (1)")
            let query: PGQuery = "SELECT * FROM \(unescaped: table)"
            _ = try await connection.query(query).collect()
            try await connection.simpleQuery("ALTER TABLE \(table) ADD COLUMN b text")
            await #expect(throws: PGError.self) {
                try await connection.withTransaction { connection in
                    _ = try await connection.query(query).collect()
                }
            }
            // Outside the transaction it works again.
            #expect(try await connection.query(query).collect().first?.count == 2)
        }
    }

    @Test func discardAllEmptiesTheCache() async throws {
        try await TestDatabase.withConnection { connection in
            for value in [Int32(1), 2] {
                let rows = try await connection.query("SELECT \(value)::int4").collect()
                #expect(try rows.first?.decode(Int32.self, at: 0) == value)
            }
            try await connection.simpleQuery("DISCARD ALL")
            let rows = try await connection.query("SELECT \(Int32(3))::int4").collect()
            #expect(try rows.first?.decode(Int32.self, at: 0) == 3)
            #expect(try await connection.scalar("SELECT count(*) FROM pg_prepared_statements") == "1")
        }
    }

    @Test func unnamedModePreparesNothing() async throws {
        let connection = try await PGConnection.connect(
            config: TestDatabase.config(), options: .init(statementCacheCapacity: 0))
        for value in [Int32(1), 2, 3] {
            #expect(try await connection.query("SELECT \(value)::int4").collect().first?.decode(Int32.self, at: 0) == value)
        }
        #expect(try await connection.scalar("SELECT count(*) FROM pg_prepared_statements") == "0")
        await connection.close()
    }

    @Test func theCacheEvictsTheLeastRecentlyUsedStatement() async throws {
        let connection = try await PGConnection.connect(
            config: TestDatabase.config(), options: .init(statementCacheCapacity: 2))
        for value in [Int32(1), 2, 3, 4] {
            let query = PGQuery(unsafeSQL: "SELECT \(value)::int4 + $1", bindings: try {
                var bindings = PGBindings()
                try bindings.append(Int32(0))
                return bindings
            }())
            _ = try await connection.query(query).collect()
        }
        // Closes of evicted statements ride with later requests; one more round trip settles them.
        _ = try await connection.query("SELECT 1").collect()
        let prepared = try await connection.scalar("SELECT count(*) FROM pg_prepared_statements")
        #expect(prepared == "2", "\(prepared ?? "nil") statements still prepared")
        await connection.close()
    }
}
