import Foundation
import Logging
import PGClient
import PGLocalCluster
import Synchronization
import Testing

/// The driver behind PgBouncer 1.18 in transaction mode, with the ``PGPoolerMode/transaction``
/// preset. One cluster and one PgBouncer (5 server connections) serve the suite; the tests run
/// one after the other because one of them restarts PgBouncer.
@Suite("PgBouncer: transaction mode", .serialized)
struct PgBouncerTests {
    /// The cluster and its PgBouncer, started on first use and stopped when the process exits.
    static let shared = Task { () async throws -> PGLocalPgBouncer in
        let cluster = try await PGLocalCluster.start()
        try await cluster.execute(
            """
            CREATE TABLE bouncer_units (tenant int NOT NULL, id bigint NOT NULL, seen text NOT NULL);
            CREATE TABLE bouncer_writes (id bigint NOT NULL)
            """)
        let bouncer = try await cluster.startPgBouncer(poolSize: 5)
        bouncer.stopAtExit()
        return bouncer
    }

    /// A pool through PgBouncer with the preset.
    static func poolConfiguration(_ bouncer: PGLocalPgBouncer, maxConnections: Int) throws -> PGPool.Configuration {
        var config = PGPool.Configuration.forTests(try PGConfig.isolated(bouncer.url()))
        config.connectionOptions.pooler = .transaction
        config.maxConnections = maxConnections
        config.connectBackoffInitial = .milliseconds(20)
        config.connectBackoffMaximum = .milliseconds(200)
        return config
    }

    /// How many queries the load test runs: `PGWIRE_PGBOUNCER_QUERIES`, else 10,000.
    static var queryCount: Int {
        ProcessInfo.processInfo.environment["PGWIRE_PGBOUNCER_QUERIES"].flatMap { Int($0) } ?? 10_000
    }

    @Test func prepareAndListenAreRefusedWithATypedErrorBeforeAnythingIsSent() async throws {
        let bouncer = try await Self.shared.value
        var options = PGConnection.Options()
        options.pooler = .transaction
        try await PGConnection.withConnection(config: PGConfig.isolated(bouncer.url()), options: options) { connection in
            let prepare = await #expect(throws: PGError.self) {
                _ = try await connection.prepare("SELECT $1::int", parameters: Int32.self)
            }
            #expect(prepare?.kind == .invalidUsage)
            #expect(prepare?.requestWasSent == false)
            let listen = await #expect(throws: PGError.self) {
                _ = try await connection.listen("events")
            }
            #expect(listen?.kind == .invalidUsage)
            // The connection is still fine, and uses no named statement.
            let rows = try await connection.query("SELECT \(Int32(41)) + 1").collect()
            #expect(try rows.first?.decode(Int32.self, at: 0) == 42)
        }
        var listenerConfig = PGListener.Configuration(connection: try PGConfig.isolated(bouncer.url()))
        listenerConfig.connectionOptions = options
        let listener = PGListener(configuration: listenerConfig)
        let error = await #expect(throws: PGError.self) { try await listener.run() }
        #expect(error?.kind == .invalidUsage)
    }

    /// A batch long enough to carry a Flush before its last eighth goes through PgBouncer
    /// whole: every set's result in order, and after a failure the rest skipped and nothing
    /// of the batch written.
    @Test func aBatchWithItsEarlyFlushGoesThroughWhole() async throws {
        let bouncer = try await Self.shared.value
        var options = PGConnection.Options()
        options.pooler = .transaction
        let base = Int64.random(in: 1_000_000...1_000_000_000)
        try await PGConnection.withConnection(config: PGConfig.isolated(bouncer.url()), options: options) { connection in
            var select = PGBatch("SELECT $1::int4 * 2")
            for value in Int32(0)..<100 { try select.append(value) }
            let doubled = try await connection.pipeline(select)
            #expect(try doubled.map { try $0.get().rows.first?.decode(Int32.self, at: 0) } == (0..<100).map { Int32($0) * 2 })
            var insert = PGBatch("INSERT INTO bouncer_writes (id) VALUES ($1::int8 / $2::int8)")
            for index in Int64(0)..<100 { try insert.append(base + index, index == 95 ? 0 : 1) }
            let inserted = try await connection.pipeline(insert)
            #expect(inserted[..<95].allSatisfy { (try? $0.get().commandTag) == "INSERT 0 1" })
            guard case .failure(let failed) = inserted[95] else {
                Issue.record("the 96th INSERT did not fail")
                return
            }
            #expect(failed.sqlState == .divisionByZero)
            #expect(inserted[96...].allSatisfy { if case .failure(let error) = $0 { error.kind == .skipped } else { false } })
            #expect(try await connection.query("SELECT \(Int32(7))").collect().first?.decode(Int32.self, at: 0) == 7)
        }
        let written = try await bouncer.cluster.psql(
            "SELECT count(*) FROM bouncer_writes WHERE id BETWEEN \(base) AND \(base + 99)")
        #expect(written == "0")
    }

    @Test func fiftyTasksOverFiveServerConnectionsRunMixedQueriesWithoutAnError() async throws {
        let bouncer = try await Self.shared.value
        let tasks = 50
        let perTask = max(1, Self.queryCount / tasks)
        let failures = Failures()
        let units = PGPoolIntegrationTests.Counter()
        try await PGPool.withPool(config: Self.poolConfiguration(bouncer, maxConnections: tasks)) { pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        for step in 0..<perTask {
                            do {
                                try await Self.mixedStep(task: task, step: step, pool: pool, units: units)
                            } catch {
                                failures.append(error)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let errors = failures.all
        #expect(errors.isEmpty, "\(errors.count) errors, first: \(errors.prefix(3))")
        let stored = try await bouncer.cluster.psql("SELECT count(*) FROM bouncer_units")
        #expect(Int(stored) == units.count)
        // No tenant unit saw another's setting.
        let crossed = try await bouncer.cluster.psql(
            "SELECT count(*) FROM bouncer_units WHERE seen <> tenant::text")
        #expect(crossed == "0")
    }

    /// One step of the load: a parameterized query, a multi-row query, or a tenant unit (a
    /// transaction that sets its tenant with `set_config(…, true)`, writes, and reads the setting
    /// back); outside transactions no setting is left behind.
    static func mixedStep(task: Int, step: Int, pool: PGPool, units: PGPoolIntegrationTests.Counter) async throws {
        switch step % 4 {
        case 0:
            let rows = try await pool.query("SELECT \(Int32(step)) + \(Int32(task))")
            guard try rows.first?.decode(Int32.self, at: 0) == Int32(step + task) else {
                throw Mismatch(what: "sum")
            }
        case 1:
            let rows = try await pool.query("SELECT generate_series(1, \(Int32(20)))")
            guard rows.count == 20 else { throw Mismatch(what: "series") }
        case 2:
            try await pool.withTransaction { connection in
                try await connection.execute("SELECT set_config('app.tenant', \(String(task)), true)")
                try await connection.execute(
                    """
                    INSERT INTO bouncer_units (tenant, id, seen)
                    VALUES (\(Int32(task)), \(Int64(step)), current_setting('app.tenant'))
                    """)
            }
            units.add()
        default:
            let rows = try await pool.query("SELECT coalesce(current_setting('app.tenant', true), '')")
            guard try rows.first?.decode(String.self, at: 0) == "" else {
                throw Mismatch(what: "a tenant setting outlived its transaction")
            }
        }
    }

    struct Mismatch: Error { var what: String }

    /// The errors the load's tasks met, shared among them.
    final class Failures: Sendable {
        private let errors = Mutex<[String]>([])
        func append(_ error: any Error) { errors.withLock { $0.append("\(error)") } }
        var all: [String] { errors.withLock { $0 } }
    }

    @Test func aRestartGivesCleanErrorsRetryableOnlyWhenSafe() async throws {
        let bouncer = try await Self.shared.value
        var logger = Logger(label: "pgbouncer-test")
        logger.logLevel = .critical  // the restart makes connections fail on purpose
        let ledger = WriteLedger()
        try await PGPool.withPool(config: Self.poolConfiguration(bouncer, maxConnections: 8), logger: logger) { pool in
            try await withThrowingTaskGroup(of: Void.self) { writers in
                for writer in 1...8 {
                    writers.addTask { try await ledger.write(from: writer, to: pool, table: "bouncer_writes") }
                }
                try await ledger.waitForSuccesses(50)
                try await bouncer.restart()
                let restartedAt = ledger.phase(.afterFault)
                try await ledger.waitForSuccesses(restartedAt + 50)
                ledger.phase(.stopping)
                try await writers.waitForAll()
            }
        }
        ledger.expectAgreement(with: try await bouncer.cluster.psql(WriteLedger.storedCounts(in: "bouncer_writes")))
    }
}
