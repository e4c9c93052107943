import Logging
import Metrics
import Testing
import Tracing

@testable import PGClient

/// How an operation is named and described before anything is sent, and that nothing is built
/// when nothing observes.
@Suite struct OperationSummaryTests {
    @Test func aParameterizedStatementKeepsItsTextAndAnOtherLosesItsLiterals() {
        let parameterized = PGOperation.statement("SELECT * FROM t WHERE a = $1 AND b = 'x'", parameterized: true)
            .summary(text: true, collection: true)
        #expect(parameterized.queryText == "SELECT * FROM t WHERE a = $1 AND b = 'x'")
        let plain = PGOperation.statement("SELECT * FROM t WHERE b = 'secret'", parameterized: false)
            .summary(text: true, collection: true)
        #expect(plain.queryText == "SELECT * FROM t WHERE b = ?")
        #expect(plain.operationName == "SELECT")
        #expect(plain.collectionName == "t")
        #expect(plain.batchSize == nil)
    }

    @Test func interpolatedValuesNeverReachTheText() {
        let secret = "hunter2"
        let query: PGQuery = "SELECT * FROM users WHERE password = \(secret) AND id = \(Int32(7))"
        let summary = PGOperation.statement(query.sql, parameterized: query.isParameterized).summary(text: true, collection: true)
        #expect(summary.queryText == "SELECT * FROM users WHERE password = $1 AND id = $2")
        #expect(summary.queryText?.contains(secret) == false)
    }

    @Test func onlyWhatIsAskedForIsRead() {
        let summary = PGOperation.statement("INSERT INTO t VALUES (1)", parameterized: false).summary(text: false, collection: false)
        #expect(summary == PGOperationSummary(operationName: "INSERT"))
    }

    @Test func aBatchOfOneStatementIsThatStatement() throws {
        var batch = PGBatch("INSERT INTO ledger (amount) VALUES ($1)")
        try batch.append(Int32(1))
        let summary = PGOperation.batch(batch).summary(text: true, collection: true)
        #expect(summary == PGOperationSummary(
            operationName: "INSERT", collectionName: "ledger", queryText: "INSERT INTO ledger (amount) VALUES ($1)"))
        #expect(summary.spanName(namespace: "db") == "INSERT ledger")
    }

    @Test func aBatchIsNamedByItsSharedOperation() throws {
        var batch = PGBatch("INSERT INTO ledger (amount) VALUES ($1)")
        for amount in Int32(1)...3 { try batch.append(amount) }
        let summary = PGOperation.batch(batch).summary(text: true, collection: true)
        #expect(summary == PGOperationSummary(
            operationName: "BATCH INSERT", collectionName: "ledger", queryText: "INSERT INTO ledger (amount) VALUES ($1)",
            batchSize: 3))
        #expect(summary.spanName(namespace: "db") == "BATCH INSERT ledger")
    }

    @Test func differentStatementsAreOneBatchWithTheirTextsJoined() {
        let sameTable: [PGQuery] = ["INSERT INTO a VALUES (\(Int32(1)))", "SELECT count(*) FROM a"]
        let summary = PGOperation.statements(sameTable).summary(text: true, collection: true)
        #expect(summary == PGOperationSummary(
            operationName: "BATCH", collectionName: "a", queryText: "INSERT INTO a VALUES ($1); SELECT count(*) FROM a",
            batchSize: 2))
        #expect(summary.spanName(namespace: "ledger") == "BATCH a")
        let twoTables: [PGQuery] = ["INSERT INTO a VALUES (\(Int32(1)))", "INSERT INTO b VALUES (\(Int32(2)))"]
        let other = PGOperation.statements(twoTables).summary(text: true, collection: true)
        #expect(other.operationName == "BATCH INSERT")
        #expect(other.collectionName == nil)
        #expect(other.spanName(namespace: "ledger") == "BATCH INSERT ledger")
    }

    @Test func theSpanNameFallsBackAsTheConventionsSay() {
        #expect(PGOperationSummary(operationName: "SELECT", collectionName: "t").spanName(namespace: "db") == "SELECT t")
        #expect(PGOperationSummary(operationName: "SELECT").spanName(namespace: "db") == "SELECT db")
        #expect(PGOperationSummary(operationName: "SELECT").spanName(namespace: nil) == "SELECT")
        #expect(PGOperationSummary().spanName(namespace: "db") == "db")
        #expect(PGOperationSummary().spanName(namespace: nil) == "postgresql")
    }

    @Test func errorsAreReportedByTheirSQLStateElseTheirKind() {
        let server = PGError.server([.sqlState: "23505", .message: "duplicate"], query: nil)
        #expect(PGErrorTelemetry(server).statusCode == "23505")
        #expect(PGErrorTelemetry(server).type == "23505")
        let closed = PGError(.connectionClosed, message: "gone", requestWasSent: true)
        #expect(PGErrorTelemetry(closed).statusCode == nil)
        #expect(PGErrorTelemetry(closed).type == "connection_closed")
        struct Mine: Error {}
        #expect(PGErrorTelemetry(Mine()).type.hasSuffix("Mine"))
    }

    /// The no-op tracer and factory count as none: a connection then has nothing active, and a
    /// request without a logger of its own makes no observer at all.
    @Test func noOpTelemetryIsOff() {
        let off = PGTelemetry(tracer: NoOpTracer(), metricsFactory: NOOPMetricsHandler.instance, noticeLogLevel: .debug)
        #expect(off.tracer == nil)
        #expect(off.metricsFactory == nil)
        let instrumentation = PGInstrumentation(telemetry: off, server: PGServerIdentity(address: "h", port: 5432, namespace: "d"))
        #expect(!instrumentation.isActive)
        #expect(instrumentation.metrics == nil)
        // Unbootstrapped process-wide systems are the no-op ones.
        let defaults = PGTelemetry(PGConnection.Options())
        #expect(defaults.tracer == nil && defaults.metricsFactory == nil)
    }
}
