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

    @Test func aStatementThatDoesNotParseFailsTheFirstSetAndIsNotCached() async throws {
        try await TestDatabase.withConnection { connection in
            var batch = PGBatch("SELEKT $1::int4")
            for value in [Int32(1), 2] { try batch.append(value) }
            let results = try await connection.pipeline(batch)
            guard case .failure(let failed) = results[0], case .failure(let skipped) = results[1] else {
                Issue.record("the sets did not fail: \(results)")
                return
            }
            #expect(failed.sqlState == .syntaxError)
            #expect(skipped.kind == .skipped)
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
        let pid = try #require(victim.backendKeyData?.processID)
        var batch = PGBatch("SELECT pg_sleep($1::float8)")
        for _ in 0..<20 { try batch.append(0.1) }
        async let outcome: Result<[Result<PGResultSet, PGError>], any Error> = {
            do { return .success(try await victim.pipeline(batch)) } catch { return .failure(error) }
        }()
        try await Task.sleep(for: .milliseconds(300))
        try await TestDatabase.withConnection { killer in
            _ = try await killer.query("SELECT pg_terminate_backend(\(pid), 5000)").collect()
        }
        switch await outcome {
        case .failure(let error as PGError):
            #expect(error.kind == .connectionClosed || error.sqlState == .adminShutdown, "\(error)")
        case .failure(let error):
            Issue.record("not a PGError: \(error)")
        case .success(let results):
            // The server may answer with FATAL 57P01 for the running statement first.
            #expect(results.contains { if case .failure = $0 { true } else { false } }, "\(results)")
        }
        #expect(victim.isClosed)
        await victim.close()
    }

    /// A batch whose requests and results are both far larger than the socket buffers: the
    /// connection reads results while its writes are still pending, so neither side waits on
    /// the other for good.
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

    @Test func anEmptyBatchSendsNothing() async throws {
        try await TestDatabase.withConnection { connection in
            let results = try await connection.pipeline(PGBatch("SELECT 1"))
            #expect(results.isEmpty)
        }
    }
}
