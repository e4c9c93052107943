import Foundation
import NIOCore
import PGWire
import Testing

@testable import PGClient

/// A batch encodes each parameter set as `PGBindings` would, all into one buffer.
@Suite("PGBatch: parameter sets")
struct PGBatchTests {
    @Test func eachSetIsEncodedAsBindingsWouldBe() throws {
        var batch = PGBatch("INSERT INTO t (a, b) VALUES ($1, $2)")
        try batch.append(Int32(1), "one")
        try batch.append(Int32(2), String?.none)
        #expect(batch.count == 2)
        for (index, values) in [(Int32(1), Optional("one")), (2, nil)].enumerated() {
            var bindings = PGBindings()
            try bindings.append(values.0)
            try bindings.append(values.1)
            #expect(batch.values(ofSet: index) == bindings.bytes)
            #expect(batch.types == bindings.types)
            #expect(batch.formats.wire(count: 2) == bindings.wireFormats)
        }
    }

    @Test func aSetOfOtherTypesIsRefusedAndLeavesTheBatchAlone() throws {
        var batch = PGBatch("SELECT $1")
        try batch.append(Int32(1))
        let before = batch.values(ofSet: 0)
        #expect(throws: PGError.self) { try batch.append("text") }
        #expect(throws: PGError.self) { try batch.append(Int32(1), Int32(2)) }
        #expect(batch.count == 1)
        #expect(batch.values.readableBytes == before.readableBytes)
        do {
            try batch.append(Int64(3))
            Issue.record("an Int64 set after an Int32 set was accepted")
        } catch {
            #expect(error.kind == .invalidUsage)
            #expect(error.message.contains("parameter set 2"))
        }
    }

    @Test func aValueThatCannotBeEncodedLeavesTheBatchAlone() throws {
        var batch = PGBatch("SELECT $1, $2")
        try batch.append(Int32(1), "ok")
        #expect(throws: PGError.self) { try batch.append(Int32(2), "bad \u{0}") }
        #expect(batch.count == 1)
        #expect(batch.values.readableBytes == batch.values(ofSet: 0).readableBytes)
    }
}

/// Batches against the real server.
@Suite("PGBatch: pipelined executions of one statement")
struct PGBatchPipelineTests {
    @Test func everySetGetsItsOwnResultInOrder() async throws {
        try await TestDatabase.withConnection { connection in
            var batch = PGBatch("SELECT $1::int4 * 2, $2::text")
            for value in Int32(0)..<250 { try batch.append(value, "row \(value)") }
            let results = try await connection.pipeline(batch)
            #expect(results.count == 250)
            for (index, result) in results.enumerated() {
                let row = try #require(try result.get().rows.first)
                #expect(try row.decode((Int32, String).self) == (Int32(index) * 2, "row \(index)"))
            }
            // Again: the statement is cached now, so each set is Bind and Execute only.
            let again = try await connection.pipeline(batch)
            #expect(try again.last?.get().rows.first?.decode(Int32.self, at: 0) == 498)
            #expect(try await connection.scalar("SELECT count(*) FROM pg_prepared_statements") == "1")
        }
    }

    @Test func insertsEveryRow() async throws {
        try await TestDatabase.withConnection { connection in
            let table = "batch_\(UInt32.random(in: 0...UInt32.max))"
            try await connection.simpleQuery("CREATE TEMP TABLE \(table) (id uuid, amount numeric(12,2), at timestamptz)")
            var batch = PGBatch("INSERT INTO \(table) (id, amount, at) VALUES ($1, $2, $3)")
            for index in 0..<100 {
                try batch.append(UUID(), PGNumeric("\(index).25"), Date(timeIntervalSince1970: Double(index)))
            }
            let results = try await connection.pipeline(batch)
            #expect(results.allSatisfy { (try? $0.get().commandTag) == "INSERT 0 1" })
            #expect(try await connection.scalar("SELECT count(*) || ' ' || sum(amount) FROM \(table)") == "100 4975.00")
        }
    }

    @Test func aFailingSetFailsItAndSkipsTheRest() async throws {
        try await TestDatabase.withConnection { connection in
            var batch = PGBatch("SELECT 100 / $1::int4")
            for divisor in [Int32(1), 2, 0, 4] { try batch.append(divisor) }
            let results = try await connection.pipeline(batch)
            #expect(try results[1].get().rows.first?.decode(Int32.self, at: 0) == 50)
            guard case .failure(let failed) = results[2], case .failure(let skipped) = results[3] else {
                Issue.record("sets 3 and 4 did not fail: \(results)")
                return
            }
            #expect(failed.sqlState == .divisionByZero)
            #expect(skipped.kind == .skipped)
            #expect(connection.transactionStatus == .idle)
            #expect(try await connection.scalar("SELECT 1") == "1")
        }
    }

    /// A batch of 100 has a Flush after its 88th statement: a failure before it or after it
    /// fails that statement and skips the rest, all in the batch's one implicit transaction.
    @Test(arguments: [40, 95])
    func aFailureOnEitherSideOfTheEarlyFlushSkipsTheRest(failing: Int) async throws {
        try await TestDatabase.withConnection { connection in
            let table = "flush_\(UInt32.random(in: 0...UInt32.max))"
            try await connection.simpleQuery("CREATE TEMP TABLE \(table) (n int4 NOT NULL)")
            var batch = PGBatch("INSERT INTO \(table) (n) VALUES (100 / $1::int4)")
            for index in 0..<100 { try batch.append(Int32(index == failing ? 0 : 1)) }
            let results = try await connection.pipeline(batch)
            #expect(results.count == 100)
            #expect(results[..<failing].allSatisfy { (try? $0.get().commandTag) == "INSERT 0 1" })
            guard case .failure(let failed) = results[failing] else {
                Issue.record("statement \(failing) did not fail")
                return
            }
            #expect(failed.sqlState == .divisionByZero)
            #expect(results[(failing + 1)...].allSatisfy { if case .failure(let error) = $0 { error.kind == .skipped } else { false } })
            // The statements before the failure, in the same implicit transaction, left nothing.
            #expect(try await connection.scalar("SELECT count(*) FROM \(table)") == "0")
            #expect(connection.transactionStatus == .idle)
        }
    }

    @Test func aListOfQueriesGetsEveryResultInOrderAcrossTheEarlyFlush() async throws {
        try await TestDatabase.withConnection { connection in
            let queries: [PGQuery] = (Int32(0)..<64).map { "SELECT \($0)::int4, repeat('x', \($0 * 100)::int4)" }
            let results = try await connection.pipeline(queries)
            #expect(try results.map { try $0.get().rows.first?.decode(Int32.self, at: 0) } == Array(0..<64))
            #expect(try results.map { try $0.get().rows.first?.decode(String.self, at: 1).count } == (0..<64).map { $0 * 100 })
            #expect(try await connection.scalar("SELECT 1") == "1")
        }
    }

    /// Two sets, and 100, whose batch carries a Flush the server skips after the Parse failed.
    @Test(arguments: [2, 100])
    func aStatementThatDoesNotParseFailsTheFirstSetAndIsNotCached(sets: Int) async throws {
        try await TestDatabase.withConnection { connection in
            var batch = PGBatch("SELEKT $1::int4")
            for value in 0..<Int32(sets) { try batch.append(value) }
            let results = try await connection.pipeline(batch)
            #expect(results.count == sets)
            guard case .failure(let failed) = results[0] else {
                Issue.record("the first set did not fail: \(results[0])")
                return
            }
            #expect(failed.sqlState == .syntaxError)
            #expect(results.dropFirst().allSatisfy { if case .failure(let error) = $0 { error.kind == .skipped } else { false } })
            #expect(try await connection.scalar("SELECT count(*) FROM pg_prepared_statements") == "0")
        }
    }

    @Test func withoutTheCacheTheUnnamedStatementServesEverySet() async throws {
        let connection = try await PGConnection.connect(
            config: TestDatabase.config(), options: .init(statementCacheCapacity: 0))
        var batch = PGBatch("SELECT $1::int8 + 1")
        for value in Int64(0)..<20 { try batch.append(value) }
        let values = try await connection.pipeline(batch).map { try $0.get().rows.first?.decode(Int64.self, at: 0) }
        #expect(values == (1...20).map { Int64($0) })
        #expect(try await connection.scalar("SELECT count(*) FROM pg_prepared_statements") == "0")
        await connection.close()
    }

    /// The backend is terminated while the batch runs: the batch fails as a whole with the
    /// connection's error (or the server's shutdown error), and the connection is closed.
    @Test func aBackendTerminatedMidBatchFailsItAndClosesTheConnection() async throws {
        let victim = try await TestDatabase.connect()
        let killer = try await TestDatabase.connect()
        let pid = try #require(victim.backendKeyData?.processID)
        var batch = PGBatch("SELECT pg_sleep($1::float8)")
        for _ in 0..<100 { try batch.append(0.1) }
        async let outcome: Result<[Result<PGResultSet, PGError>], any Error> = {
            do { return .success(try await victim.pipeline(batch)) } catch { return .failure(error) }
        }()
        // Kill it once it runs (a loaded machine may take a while to get there).
        let deadline = ContinuousClock.now.advanced(by: .seconds(8))
        while ContinuousClock.now < deadline,
            try await killer.scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid) AND wait_event = 'PgSleep'") != "1"
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = try await killer.query("SELECT pg_terminate_backend(\(pid), 5000)").collect()
        switch await outcome {
        case .failure(let error as PGError):
            #expect(error.kind == .connectionClosed || error.sqlState == .adminShutdown, "\(error)")
        case .failure(let error):
            Issue.record("not a PGError: \(error)")
        case .success(let results):
            // The server may answer with FATAL 57P01 for the running statement first.
            #expect(results.contains { if case .failure = $0 { true } else { false } }, "\(results.count) results")
        }
        #expect(victim.isClosed)
        await victim.close()
        await killer.close()
    }

    /// A batch whose results (20 MB) are far larger than the socket buffers: the connection
    /// reads results while the server is still working through the batch, so neither side
    /// waits on the other for good.
    @Test func aBatchLargerThanTheSocketBuffersDoesNotDeadlock() async throws {
        try await TestDatabase.withConnection { connection in
            var batch = PGBatch("SELECT $1::int4, repeat($2::text, 1000)")
            for index in Int32(0)..<20_000 { try batch.append(index, "x") }
            let results = try await connection.pipeline(batch)
            #expect(results.count == 20_000)
            let last = try #require(try results.last?.get().rows.first)
            #expect(try last.decode((Int32, String).self).0 == 19_999)
            #expect(try last.decode(String.self, at: 1).utf8.count == 1_000)
        }
    }

    /// Ten megabytes of requests through a connection that holds at most 64 KiB unsent: the
    /// batch is written as the socket drains, a query made meanwhile waits its turn, and every
    /// result is right.
    @Test func aBatchOverTheUnsentLimitIsWrittenAsTheSocketDrains() async throws {
        let connection = try await PGConnection.connect(
            config: TestDatabase.config(), options: .init(maximumUnsentBytes: 64 * 1024))
        // The first set keeps the server from reading for a while, so the socket fills up and
        // the rest of the batch has to wait for it.
        let text = String(repeating: "y", count: 2_000)
        var batch = PGBatch("SELECT $1::int4, length($2::text) FROM pg_sleep(CASE WHEN $1::int4 = 0 THEN 0.3 ELSE 0 END)")
        for index in Int32(0)..<5_000 { try batch.append(index, text) }
        async let results = connection.pipeline(batch)
        async let meanwhile = connection.query("SELECT \(Int32(42))::int4").collect()
        let all = try await results
        #expect(all.count == 5_000)
        for (index, result) in all.enumerated() {
            let (echoed, length) = try #require(try result.get().rows.first).decode((Int32, Int32).self)
            #expect(echoed == Int32(index) && length == 2_000)
        }
        #expect(try await meanwhile.first?.decode(Int32.self, at: 0) == 42)
        await connection.close()
    }

    /// Many tasks, each with a large value, on a connection with a small unsent limit, while
    /// the server sleeps before reading them: the requests past the limit wait, then complete.
    @Test func aBurstOverTheUnsentLimitWaitsAndCompletes() async throws {
        let connection = try await PGConnection.connect(
            config: TestDatabase.config(), options: .init(maximumUnsentBytes: 64 * 1024))
        async let pause = connection.query("SELECT pg_sleep(0.3)").collect()
        let lengths = try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let value = String(repeating: "z", count: 40_000 + index)
                    return try #require(try await connection.query("SELECT length(\(value))").collect().first)
                        .decode(Int32.self, at: 0)
                }
            }
            var all: [Int32] = []
            for try await length in group { all.append(length) }
            return all
        }
        #expect(lengths.sorted() == (0..<200).map { Int32(40_000 + $0) })
        #expect(try await pause.count == 1)
        await connection.close()
    }

    @Test func anEmptyBatchSendsNothing() async throws {
        try await TestDatabase.withConnection { connection in
            let results = try await connection.pipeline(PGBatch("SELECT 1"))
            #expect(results.isEmpty)
        }
    }
}
