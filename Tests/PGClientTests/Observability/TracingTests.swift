import InMemoryTracing
import NIOCore
import PGWire
import Synchronization
import Testing
import Tracing

@testable import PGClient

/// Spans by OpenTelemetry's database conventions, recorded by an in-memory tracer that each test
/// gives its connection or pool (the process-wide tracer is never bootstrapped).
@Suite struct TracingTests {
    /// The attributes every span about the test server has.
    static func expectServerAttributes(_ attributes: SpanAttributes, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let config = try await TestDatabase.config()
        let host = try #require(config.hosts.first)
        #expect(attributes.string("db.system.name") == "postgresql", sourceLocation: sourceLocation)
        #expect(attributes.string("db.namespace") == config.database, sourceLocation: sourceLocation)
        #expect(attributes.string("server.address") == host.unixSocketPath ?? host.host, sourceLocation: sourceLocation)
        if !host.isUnixSocket {
            #expect(attributes.int("server.port") == Int64(host.port), sourceLocation: sourceLocation)
        }
    }

    @Test func aQueryIsAClientSpanNamedByItsOperationAndTable() async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            let rows = try await connection.query(
                "SELECT relname FROM pg_catalog.pg_class WHERE relname = \("pg_class")").collect()
            #expect(rows.count == 1)
        }
        let span = try #require(tracer.finished("SELECT pg_catalog.pg_class").first)
        #expect(span.kind == .client)
        #expect(span.status == nil)
        #expect(span.errors.isEmpty)
        #expect(span.attributes.string("db.operation.name") == "SELECT")
        #expect(span.attributes.string("db.collection.name") == "pg_catalog.pg_class")
        #expect(span.attributes.string("db.query.text") == "SELECT relname FROM pg_catalog.pg_class WHERE relname = $1")
        #expect(span.attributes.get("db.response.status_code") == nil)
        #expect(span.attributes.get("db.operation.batch.size") == nil)
        try await Self.expectServerAttributes(span.attributes)
    }

    @Test func theCallersServiceContextIsTheParent() async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            _ = try await tracer.withSpan("handle request") { _ in
                try await connection.execute("SELECT \(Int32(1))")
            }
            try await connection.execute("SELECT \(Int32(2))")  // no context: a trace of its own
        }
        let parent = try #require(tracer.finished("handle request").first)
        let queries = tracer.finished("SELECT postgres")
        try #require(queries.count == 2)
        #expect(queries[0].parentSpanID == parent.spanID)
        #expect(queries[0].traceID == parent.traceID)
        #expect(queries[1].parentSpanID == nil)
        #expect(queries[1].traceID != parent.traceID)
    }

    @Test func aFailedStatementCarriesItsSQLState() async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            await #expect(throws: PGError.self) { try await connection.execute("SELECT 1 / \(Int32(0))") }
        }
        let span = try #require(tracer.finished("SELECT postgres").first)
        #expect(span.status?.code == .error)
        #expect(span.errors.count == 1)
        #expect(span.attributes.string("db.response.status_code") == "22012")
        #expect(span.attributes.string("error.type") == "22012")
    }

    @Test func aStreamedQueryEndsItsSpanWithItsLastRow() async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            let rows = try await connection.query("SELECT g FROM generate_series(1, \(Int32(20_000))) AS g")
            #expect(tracer.finished("SELECT postgres").isEmpty, "the span ended before the rows were read")
            var count = 0
            for try await _ in rows { count += 1 }
            #expect(count == 20_000)
            #expect(tracer.finished("SELECT postgres").count == 1)
        }
    }

    @Test func aSequenceDroppedUnreadEndsItsSpan() async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            _ = try await connection.query("SELECT \(Int32(1))")
            try await connection.execute("SELECT \(Int32(2))")  // the first request is over by now
            try await PGPoolIntegrationTests.waitUntil { tracer.finished("SELECT postgres").count == 2 }
        }
        #expect(tracer.finished("SELECT postgres").allSatisfy { $0.status == nil })
    }

    @Test func simpleQueryTextLosesItsLiterals() async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            try await connection.simpleQuery("SELECT 'my secret'::text, 42")
        }
        let span = try #require(tracer.finished("SELECT postgres").first)
        #expect(span.attributes.string("db.query.text") == "SELECT ?::text, ?")
    }

    @Test func aBatchIsOneSpanWithItsSize() async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            var batch = PGBatch("SELECT 10 / $1::int4")
            for value in [Int32(1), 2, 5] { try batch.append(value) }
            _ = try await connection.pipeline(batch)
            var failing = PGBatch("SELECT 10 / $1::int4")
            for value in [Int32(1), 0, 2] { try failing.append(value) }
            _ = try await connection.pipeline(failing)
        }
        let spans = tracer.finished("BATCH SELECT postgres")
        try #require(spans.count == 2)
        #expect(spans[0].attributes.int("db.operation.batch.size") == 3)
        #expect(spans[0].attributes.string("db.operation.name") == "BATCH SELECT")
        #expect(spans[0].attributes.string("db.query.text") == "SELECT 10 / $1::int4")
        #expect(spans[0].status == nil)
        #expect(spans[1].status?.code == .error)
        #expect(spans[1].attributes.string("db.response.status_code") == "22012")
    }

    @Test(arguments: [PGConnection.PipelineSync.once, .afterEach])
    func aPipelineIsOneSpan(_ sync: PGConnection.PipelineSync) async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            let results = try await connection.pipeline(
                ["SELECT \(Int32(1))", "SELECT count(*) FROM pg_catalog.pg_class", "SELECT \(Int32(3))"], sync: sync)
            #expect(results.count == 3)
        }
        let span = try #require(tracer.finished("BATCH SELECT postgres").first)
        #expect(span.attributes.int("db.operation.batch.size") == 3)
        #expect(span.attributes.string("db.query.text") == "SELECT $1; SELECT count(*) FROM pg_catalog.pg_class; SELECT $1")
        #expect(tracer.finishedSpans.count == 2)  // connect, and the pipeline alone
    }

    @Test func copyInAndCopyOutAreSpansThatEndWithTheirData() async throws {
        let tracer = InMemoryTracer()
        try await Observed.withConnection(tracer: tracer) { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE traced_copy (id int4, name text)")
            let lines = AsyncStream<ByteBuffer> { continuation in
                continuation.yield(ByteBuffer(string: "1,alice\n2,bob\n"))
                continuation.finish()
            }
            let result = try await connection.copyIn("COPY traced_copy (id, name) FROM STDIN (FORMAT csv)", from: lines)
            #expect(result.rowCount == 2)
            let data = try await connection.copyOut("COPY traced_copy TO STDOUT (FORMAT csv)")
            #expect(tracer.finished("COPY traced_copy").count == 1, "COPY TO ended before its data was read")
            var bytes = 0
            for try await chunk in data { bytes += chunk.readableBytes }
            #expect(bytes == 14)
        }
        let spans = tracer.finished("COPY traced_copy")
        try #require(spans.count == 2)
        #expect(spans.allSatisfy { $0.attributes.string("db.operation.name") == "COPY" && $0.kind == .client })
        #expect(spans[0].attributes.string("db.query.text") == "COPY traced_copy (id, name) FROM STDIN (FORMAT csv)")
    }

    @Test func aTransactionIsTheParentOfItsStatements() async throws {
        let tracer = InMemoryTracer()
        struct Abandon: Error {}
        try await Observed.withConnection(tracer: tracer) { connection in
            try await connection.withTransaction { conn in
                try await conn.execute("SELECT \(Int32(1))")
            }
            await #expect(throws: Abandon.self) {
                try await connection.withTransaction { conn in
                    try await conn.execute("SELECT \(Int32(2))")
                    throw Abandon()
                }
            }
        }
        let transactions = tracer.finished("transaction")
        try #require(transactions.count == 2)
        #expect(transactions.allSatisfy { $0.kind == .internal })
        #expect(transactions[0].status == nil)
        #expect(transactions[1].status?.code == .error)
        #expect(transactions[1].attributes.string("error.type")?.hasSuffix("Abandon") == true)
        try await Self.expectServerAttributes(transactions[0].attributes)
        func children(of parent: FinishedInMemorySpan) -> [String] {
            tracer.finishedSpans.filter { $0.parentSpanID == parent.spanID }.map(\.operationName)
        }
        #expect(children(of: transactions[0]) == ["BEGIN postgres", "SELECT postgres", "COMMIT postgres"])
        #expect(children(of: transactions[1]) == ["BEGIN postgres", "SELECT postgres", "ROLLBACK postgres"])
    }

    @Test func connectingIsOneSpanWithAnEventPerFailedHost() async throws {
        let tracer = InMemoryTracer()
        var config = try await TestDatabase.config()
        let reachable = try #require(config.hosts.first)
        // Port 1 on the loopback address: nothing listens, the connect is refused at once.
        config.hosts.insert(PGConfig.Host(host: "127.0.0.1", port: 1), at: 0)
        let connection = try await PGConnection.connect(config: config, options: .init(tracer: tracer))
        await connection.close()
        let span = try #require(tracer.finished("connect").first)
        #expect(span.kind == .client)
        #expect(span.status == nil)
        #expect(span.events.map(\.name) == ["host failed"])
        #expect(span.attributes.string("server.address") == reachable.unixSocketPath ?? reachable.host)

        config.hosts = [PGConfig.Host(host: "127.0.0.1", port: 1)]
        await #expect(throws: PGError.self) { try await PGConnection.connect(config: config, options: .init(tracer: tracer)) }
        let failed = try #require(tracer.finished("connect").last)
        #expect(failed.status?.code == .error)
        #expect(failed.attributes.string("error.type") == "connection_failed")
    }

    @Test func aPoolTracesItsAcquiresAndItsConnectionsRequests() async throws {
        let tracer = InMemoryTracer()
        var config = PGPool.Configuration.forTests(try await TestDatabase.config())
        config.connection.applicationName = "traced-pool"
        config.tracer = tracer
        config.maxConnections = 1
        try await PGPool.withPool(config: config) { pool in
            try await tracer.withSpan("handle request") { _ in
                _ = try await pool.query("SELECT \(Int32(1))")
                try await pool.withTransaction { conn in try await conn.execute("SELECT \(Int32(2))") }
                // A changed session: the pool resets it (DISCARD ALL) when it comes back.
                _ = try await pool.withConnection { conn in try await conn.simpleQuery("SET application_name = 'changed'") }
            }
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.resets == 1 }
        }
        let parent = try #require(tracer.finished("handle request").first)
        let acquires = tracer.finished("pool.acquire")
        try #require(acquires.count == 3)
        #expect(acquires.allSatisfy { $0.parentSpanID == parent.spanID && $0.kind == .internal })
        #expect(acquires[0].attributes.string("db.client.connection.pool.name") == "traced-pool")
        try await Self.expectServerAttributes(acquires[0].attributes)
        #expect(tracer.finished("SELECT postgres").first?.parentSpanID == parent.spanID)
        #expect(tracer.finished("transaction").first?.parentSpanID == parent.spanID)
        // The pool's own work belongs to no caller's trace: its connects have no parent, and its
        // cleaning (DISCARD ALL) is not traced.
        #expect(tracer.finished("connect").allSatisfy { $0.parentSpanID == nil })
        #expect(tracer.finished("SET postgres").count == 1)
        #expect(tracer.finishedSpans.allSatisfy { !$0.operationName.hasPrefix("DISCARD") })
    }

    /// Without a tracer nothing is observed: no span, and a request builds no observer.
    @Test func withoutATracerARequestObservesNothing() async throws {
        try await Observed.withConnection { connection in
            #expect(!connection.instrumentation.isActive)
            #expect(connection.observe(.statement("SELECT 1", parameterized: false), logger: nil) == nil)
            let rows = try await connection.query("SELECT \(Int32(1))")
            #expect(rows.observer == nil)
        }
    }
}
