import Logging
import Testing

@testable import PGClient

/// The driver's log lines: a request's lines carry its caller's metadata, notices are `debug`
/// unless asked otherwise, and normal operation logs nothing above `debug`.
@Suite struct LoggingTests {
    /// A request logger with a request id, as a service would make per request.
    static func requestLogger(_ logs: CapturedLogs, id: String) -> Logger {
        var logger = logs.logger(label: "request", level: .trace)
        logger[metadataKey: "request.id"] = "\(id)"
        return logger
    }

    @Test func aRequestsLinesCarryItsCallersMetadata() async throws {
        let logs = CapturedLogs()
        let connectionLogs = CapturedLogs()
        let request = Self.requestLogger(logs, id: "r-42")
        try await Observed.withConnection(logger: connectionLogs.logger(level: .trace)) { connection in
            _ = try await connection.query("SELECT \(Int32(1))", logger: request).collect()
            await #expect(throws: PGError.self) { try await connection.execute("SELECT 1 / \(Int32(0))", logger: request) }
            try await connection.simpleQuery("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; END $$", logger: request)
            // A notice during a query of the extended protocol, whose whole result is kept as
            // the query's result alone.
            try await connection.execute("DO $$ BEGIN RAISE NOTICE 'hello from a query'; END $$", logger: request)
            try await connection.withTransaction(logger: request) { conn in
                try await conn.execute("SELECT \(Int32(2))", logger: request)
            }
            let id = "\(connection.id)"
            for entry in logs.all {
                #expect(entry.metadata["request.id"]?.text == "r-42", "\(entry.message)")
                #expect(entry.metadata["pg.connection.id"]?.text == id, "\(entry.message)")
            }
        }
        let finished = logs.lines(containing: "PostgreSQL operation finished")
        #expect(finished.allSatisfy { $0.level == .trace })
        #expect(finished.compactMap { $0.metadata["db.operation.name"]?.text } == ["SELECT", "DO", "DO", "BEGIN", "SELECT", "COMMIT"])
        #expect(finished.first?.metadata["db.query.text"]?.text == "SELECT $1")
        let failed = try #require(logs.lines(containing: "PostgreSQL operation failed").first)
        #expect(failed.level == .debug)
        #expect(failed.metadata["error.type"]?.text == "22012")
        let notice = try #require(logs.lines(containing: "server notice").first)
        #expect(notice.level == .debug)
        #expect(notice.metadata["message"]?.text == "hello from plpgsql")
        #expect(logs.lines(containing: "server notice").compactMap { $0.metadata["message"]?.text } == ["hello from plpgsql", "hello from a query"])
        // None of the request's lines went to the connection's logger.
        #expect(connectionLogs.all.allSatisfy { $0.metadata["request.id"] == nil })
        #expect(connectionLogs.lines(containing: "server notice").isEmpty)
    }

    @Test func aCancelledRequestsCancelLinesCarryItsMetadata() async throws {
        let logs = CapturedLogs()
        let request = Self.requestLogger(logs, id: "r-cancel")
        let connection = try await Observed.connect()
        let watcher = try await TestDatabase.connect()
        let pid = try #require(connection.backendKeyData?.processID)
        let sleeping = Task { try await connection.execute("SELECT pg_sleep(60)", logger: request) }
        // Cancelled once it runs (a request not yet sent would just be dropped).
        try await PGPoolIntegrationTests.waitUntil {
            let rows = try await watcher.query(
                "SELECT count(*)::int4 FROM pg_stat_activity WHERE pid = \(pid) AND state = 'active'").collect()
            return try rows.first?.decode(Int32.self, at: 0) == 1
        }
        sleeping.cancel()
        _ = await sleeping.result
        await connection.close()
        await watcher.close()
        let cancel = try #require(logs.lines(containing: "sending CancelRequest").first)
        #expect(cancel.level == .debug)
        #expect(cancel.metadata["request.id"]?.text == "r-cancel")
        // 57014 when the server confirmed the cancel in time, else the client's `cancelled`.
        let failed = logs.lines(containing: "PostgreSQL operation failed").first?.metadata["error.type"]?.text
        #expect(failed == "57014" || failed == "cancelled")
    }

    @Test func noticesAreLoggedAtTheLevelTheOptionsSay() async throws {
        let logs = CapturedLogs()
        let raise = "DO $$ BEGIN RAISE NOTICE 'n'; END $$"
        try await Observed.withConnection(logger: logs.logger(label: "default")) { connection in
            try await connection.simpleQuery(raise)
        }
        try await Observed.withConnection(logger: logs.logger(label: "info"), noticeLogLevel: .info) { connection in
            try await connection.simpleQuery(raise)
        }
        #expect(logs.lines(containing: "server notice").map { "\($0.label) \($0.level)" } == ["default debug", "info info"])
    }

    /// Everything a caller normally does, with every line captured: none is above `debug`.
    @Test func normalOperationLogsNothingAboveDebug() async throws {
        let logs = CapturedLogs()
        try await Observed.withConnection(logger: logs.logger(level: .trace)) { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE quiet (id int4)")
            try await connection.execute("INSERT INTO quiet VALUES (\(Int32(1)))")
            _ = try await connection.pipeline(["SELECT \(Int32(1))", "SELECT 1 / \(Int32(0))"])
            var batch = PGBatch("INSERT INTO quiet VALUES ($1)")
            for id in Int32(2)...4 { try batch.append(id) }
            _ = try await connection.pipeline(batch)
            struct Undo: Error {}
            _ = try? await connection.withTransaction { conn in
                try await conn.withSavepoint { conn in
                    try await conn.execute("DELETE FROM quiet")
                    throw Undo()
                }
            }
            let statement = try await connection.prepare("SELECT count(*) FROM quiet WHERE id > $1", parameters: Int32.self)
            _ = try await connection.query(statement, 1).collect()
            try await connection.deallocate(statement)
            try await connection.simpleQuery("ROLLBACK")  // a WARNING notice: no transaction in progress
            _ = try await connection.copyOut("COPY quiet TO STDOUT").reduce(0) { $0 + $1.readableBytes }
        }
        var config = PGPool.Configuration.forTests(try await TestDatabase.config())
        config.maxConnections = 1
        try await PGPool.withPool(config: config, logger: logs.logger(label: "pool", level: .trace)) { pool in
            _ = try await pool.query("SELECT 1")
            _ = try await pool.withConnection { conn in try await conn.simpleQuery("SET application_name = 'touched'") }
            try await pool.withTransaction { conn in try await conn.execute("SELECT 1") }
        }
        #expect(!logs.all.isEmpty)
        let loud = logs.all.filter { $0.level > .debug }
        #expect(loud.isEmpty, "\(loud.map { "\($0.level) \($0.message)" })")
    }

    @Test func theOneOffAndLeaseCallsOfAPoolTakeARequestLogger() async throws {
        let logs = CapturedLogs()
        var config = PGPool.Configuration.forTests(try await TestDatabase.config())
        config.minConnections = 1
        config.maxConnections = 1
        config.acquireTimeout = .milliseconds(200)
        let request = Self.requestLogger(logs, id: "r-7")
        try await PGPool.withPool(config: config) { pool in
            // Opened first: the short acquire timeout is for the wait below, not for connecting.
            try await PGPoolIntegrationTests.waitUntil { pool.counts.idle == 1 }
            _ = try await pool.query("SELECT \(Int32(1))", logger: request)
            _ = try await pool.withConnection { _ async throws in
                await #expect(throws: PGError.self) { try await pool.execute("SELECT 1", logger: request) }
            }
        }
        #expect(logs.lines(containing: "PostgreSQL operation finished").count == 1)
        let missed = try #require(logs.lines(containing: "no pooled connection").first)
        #expect(missed.level == .debug)
        #expect(logs.all.allSatisfy { $0.metadata["request.id"]?.text == "r-7" })
    }

    /// A ROLLBACK that failed is a warning while the connection is open (the session may be left
    /// in the transaction), and only debug once it is closed (the transaction ended with it).
    @Test func aFailedRollbackWarnsOnlyWhileTheConnectionIsOpen() async throws {
        let logs = CapturedLogs()
        let connection = try await Observed.connect()
        let failure = PGError(.server, message: "no", requestWasSent: true)
        connection.logUndoFailure("ROLLBACK failed", failure, logger: logs.logger(label: "open"))
        await connection.close()
        connection.logUndoFailure("ROLLBACK failed", failure, logger: logs.logger(label: "closed"))
        #expect(logs.all.map { "\($0.label) \($0.level)" } == ["open warning", "closed debug"])
    }

    /// A pool that cannot reach its server warns once, then retries at debug.
    @Test func anUnreachableServerIsOneWarningPerOutage() async throws {
        let logs = CapturedLogs()
        var config = PGPool.Configuration.forTests(try await TestDatabase.config())
        config.connection.hosts = [PGConfig.Host(host: "127.0.0.1", port: 1)]
        config.connectBackoffInitial = .milliseconds(5)
        config.connectBackoffMaximum = .milliseconds(20)
        try await PGPool.withPool(config: config, logger: logs.logger(label: "pool")) { pool in
            let waiter = Task { try await pool.execute("SELECT 1") }
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.connectFailures >= 3 }
            waiter.cancel()
            _ = await waiter.result
        }
        let lines = logs.lines(containing: "pool could not connect")
        #expect(lines.count >= 3)
        #expect(lines.filter { $0.level == .warning }.count == 1)
        #expect(lines.first?.level == .warning)
    }

    /// A connection the pool could not clean because the server (or the setup hook) refused is
    /// closed with a warning.
    @Test func aConnectionClosedBecauseItsCleanupFailedIsAWarning() async throws {
        let logs = CapturedLogs()
        var config = PGPool.Configuration.forTests(try await TestDatabase.config())
        config.maxConnections = 1
        // Cleaning that takes longer than this is a debug line (normal operation), not the
        // warning tested here: on a loaded machine DISCARD ALL and the hook took over 5 s.
        config.cleanupTimeout = .seconds(240)
        let setups = PGPoolIntegrationTests.Counter()
        config.setup = { _ in
            setups.add()
            struct SetupRefused: Error {}
            if setups.count > 1 { throw SetupRefused() }  // after DISCARD ALL
        }
        try await PGPool.withPool(config: config, logger: logs.logger(label: "pool")) { pool in
            _ = try await pool.withConnection { conn in try await conn.simpleQuery("SET application_name = 'touched'") }
            try await PGPoolIntegrationTests.waitUntil { pool.statistics.closedAfterCleanupFailure == 1 }
        }
        let line = try #require(logs.lines(containing: "could not clean").first)
        #expect(line.level == .warning)
    }
}
