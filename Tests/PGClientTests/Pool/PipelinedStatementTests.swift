import PGLocalCluster
import PGWire
import Testing

@testable import PGClient

/// One-off statements that waited for a connection and went to it together
/// (``PGPool/Configuration/waitingStatementsPerConnection``): each caller gets its own result,
/// an error or a cancellation stays with its own statement, and what changes the session waits
/// alone. Each test queues statements behind a holder of the pool's only connection, then lets
/// it go.
@Suite struct PipelinedStatementTests {
    typealias Support = PGPoolIntegrationTests

    /// Starts `statements` in order, each queued before the next starts, while the pool's only
    /// connection is held; then lets the connection go and returns each statement's outcome.
    static func queued(
        _ pool: PGPool, _ statements: [@Sendable () async throws -> [PGRow]],
        whileQueued: @Sendable ([Task<[PGRow], any Error>]) async throws -> Void = { _ in }
    ) async throws -> [Result<[PGRow], any Error>] {
        let tasks = try await PooledStatementTests.holdingTheConnection(pool) {
            var tasks: [Task<[PGRow], any Error>] = []
            for (index, statement) in statements.enumerated() {
                tasks.append(Task { try await statement() })
                try await Support.waitUntil { pool.statistics.pending == index + 1 }
            }
            return tasks
        }
        try await whileQueued(tasks)
        var outcomes: [Result<[PGRow], any Error>] = []
        for task in tasks { outcomes.append(await task.result) }
        return outcomes
    }

    @Test func waitingStatementsGoTogetherAndEachGetsItsOwnRows() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try PooledStatementTests.singleConnection(cluster, application: "handoff-rows")
            #expect(config.waitingStatementsPerConnection == 8)
            try await Support.withPool(config) { pool in
                let statements: [@Sendable () async throws -> [PGRow]] = (0..<5).map { value in
                    { try await pool.query("SELECT \(Int32(value))::int4") }
                }
                // The first waits on the server for a lock the observer holds; the rest are
                // already written behind it, so none of them waits in the pool any more.
                let observer = try await PGConnection.connect(config: PGConfig(cluster.url(sslmode: .disable)))
                _ = try await observer.query("SELECT pg_advisory_lock(4242)").collect()
                let blocked: @Sendable () async throws -> [PGRow] = {
                    try await pool.query("SELECT 9::int4 FROM pg_advisory_xact_lock(4242) /* handoff-lock */")
                }
                let outcomes = try await Self.queued(pool, [blocked] + statements) { _ in
                    try await Support.waitUntil {
                        try await observer.query(
                            "SELECT count(*)::int4 FROM pg_stat_activity WHERE query LIKE '%handoff-lock%' AND wait_event_type = 'Lock'"
                        ).collect().first?.decode(Int32.self, at: 0) == 1
                    }
                    #expect(pool.statistics.pending == 0)
                    _ = try await observer.query("SELECT pg_advisory_unlock(4242)").collect()
                }
                await observer.close()
                #expect(try outcomes[0].get().first?.decode(Int32.self, at: 0) == 9)
                for value in 0..<5 {
                    #expect(try outcomes[value + 1].get().first?.decode(Int32.self, at: 0) == Int32(value))
                }
                #expect(pool.statistics.used == 0)
                #expect(pool.statistics.created == 1)
            }
        }
    }

    @Test func aFailingStatementFailsAloneAndTheOthersWritesStay() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try PooledStatementTests.singleConnection(cluster, application: "handoff-failure")
            try await Support.withPool(config) { pool in
                try await pool.execute("CREATE TABLE handoff_rows (v int4 PRIMARY KEY)")
                let outcomes = try await Self.queued(pool, [
                    { try await pool.query("INSERT INTO handoff_rows VALUES (1) RETURNING v") },
                    { try await pool.query("INSERT INTO handoff_rows VALUES (1) RETURNING v") },
                    { try await pool.query("SELECT * FROM no_such_table") },
                    { try await pool.query("INSERT INTO handoff_rows VALUES (2) RETURNING v") },
                ])
                #expect(try outcomes[0].get().count == 1)
                #expect(throws: PGError.self) { try outcomes[1].get() }
                if case .failure(let error) = outcomes[1] { #expect((error as? PGError)?.sqlState == .uniqueViolation) }
                if case .failure(let error) = outcomes[2] { #expect((error as? PGError)?.sqlState == .undefinedTable) }
                #expect(try outcomes[3].get().count == 1)
                // Each statement had its own transaction: both good rows are there.
                let rows = try await pool.query("SELECT v FROM handoff_rows ORDER BY v").map { try $0.decode(Int32.self, at: 0) }
                #expect(rows == [1, 2])
                #expect(pool.statistics.rollbacks == 0)
            }
        }
    }

    @Test func aSessionChangeWaitsAloneAndIsResetBeforeTheStatementsBehindIt() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try PooledStatementTests.singleConnection(cluster, application: "handoff-session")
            try await Support.withPool(config) { pool in
                let setting = "SELECT current_setting('application_name')"
                let outcomes = try await Self.queued(pool, [
                    { try await pool.query(PGQuery(unsafeSQL: setting)) },
                    { try await pool.query("SET application_name = 'changed-in-a-handoff'") },
                    { try await pool.query(PGQuery(unsafeSQL: setting)) },
                ])
                #expect(try outcomes[0].get().first?.decode(String.self, at: 0) == "handoff-session")
                #expect(throws: Never.self) { try outcomes[1].get() }
                #expect(try outcomes[2].get().first?.decode(String.self, at: 0) == "handoff-session")
                #expect(pool.statistics.resets == 1)
            }
        }
    }

    @Test func aCancelledStatementInAHandoffFailsAloneAndTheConnectionServesOn() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try PooledStatementTests.singleConnection(cluster, application: "handoff-cancel")
            try await Support.withPool(config) { pool in
                let observer = try await PGConnection.connect(config: PGConfig(cluster.url(sslmode: .disable)))
                let outcomes = try await Self.queued(pool, [
                    { try await pool.query("SELECT 1::int4 FROM pg_sleep(600) /* handoff-cancel */") },
                    { try await pool.query("SELECT 2::int4") },
                    { try await pool.query("SELECT 3::int4") },
                ]) { tasks in
                    try await Support.waitUntil {
                        try await observer.query(
                            "SELECT count(*)::int4 FROM pg_stat_activity WHERE query LIKE '%handoff-cancel%' AND pid <> pg_backend_pid()"
                        ).collect().first?.decode(Int32.self, at: 0) == 1
                    }
                    tasks[0].cancel()
                }
                await observer.close()
                if case .failure(let error) = outcomes[0] {
                    #expect((error as? PGError)?.kind == .cancelled)
                } else {
                    Issue.record("the cancelled statement returned rows")
                }
                #expect(try outcomes[1].get().first?.decode(Int32.self, at: 0) == 2)
                #expect(try outcomes[2].get().first?.decode(Int32.self, at: 0) == 3)
                #expect(try await pool.query("SELECT 4::int4").first?.decode(Int32.self, at: 0) == 4)
                #expect(pool.statistics.created == 1)
                #expect(pool.statistics.used == 0)
            }
        }
    }

    @Test(arguments: [
        ("SELECT 1", true), ("  /* a comment */ select 1", true), ("-- note\nINSERT INTO t VALUES (1)", true),
        ("(SELECT 1)", true), ("WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone", true),
        ("UPDATE t SET v = 1", true), ("DELETE FROM t", true), ("VALUES (1)", true), ("TABLE t", true),
        ("SET search_path = x", false), ("set application_name = 'x'", false), ("BEGIN", false), ("SHOW work_mem", false),
        ("CREATE TEMP TABLE x (v int)", false), ("LISTEN jobs", false), ("DECLARE c CURSOR WITH HOLD FOR SELECT 1", false),
        ("", false), ("SELECTED", false), ("DO $$ BEGIN END $$", false), ("PREPARE p AS SELECT 1", false),
        ("select*from t", true), (" \n\tInsert\tINTO t DEFAULT VALUES", true), ("TABLE", true), ("merge into t using s on true when matched then do nothing", true),
        ("TABLEs", false), ("SELECT_1", false), ("SELECT$1", false), ("selecté", false), ("SE", false), ("SETTLE", false),
    ])
    func whichStatementsMayShareAHandoff(sql: String, expected: Bool) {
        #expect(PGQuery(unsafeSQL: sql).mayShareHandoff == expected)
        // The shortcut answers only where the lexer agrees.
        if PGQuery.startsWithHandoffKeyword(sql) {
            #expect(PGSQLText.operationName(of: sql).map(PGQuery.handoffOperations.contains) == true)
        }
    }

    @Test func theShortcutKnowsEveryHandoffOperationInAnyCase() {
        for operation in PGQuery.handoffOperations {
            #expect(PGQuery.startsWithHandoffKeyword(operation + " x"), "\(operation)")
            #expect(PGQuery.startsWithHandoffKeyword("\n " + operation.lowercased()), "\(operation)")
            #expect(!PGQuery.startsWithHandoffKeyword(operation + "x"), "\(operation)")
        }
    }

    @Test func theHandoffIsOffWhereAHolderIsPromisedACleanSession() throws {
        var config = PGPool.Configuration(connection: try PGConfig("postgresql://u@localhost/d"))
        let select = PGQuery(unsafeSQL: "SELECT 1")
        #expect(config.leaseKind(for: select) == .pipelinedStatement)
        #expect(config.leaseKind(for: PGQuery(unsafeSQL: "SET x = 1")) == .exclusive)
        config.sessionReset = .discardAllAlways
        #expect(config.leaseKind(for: select) == .exclusive)
        config.sessionReset = .discardAllWhenTouched
        config.beforeRelease = { _ in }
        #expect(config.leaseKind(for: select) == .exclusive)
        config.beforeRelease = nil
        config.connectionOptions.pooler = .transaction
        #expect(config.leaseKind(for: select) == .exclusive)
        config.connectionOptions.pooler = .none
        config.waitingStatementsPerConnection = 1
        #expect(config.leaseKind(for: select) == .exclusive)
        #expect(config.machine.statementsPerHandoff == 1)
    }
}
