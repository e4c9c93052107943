import Logging
import PGLocalCluster
import PGWire
import Synchronization
import Testing

@testable import PGClient

/// The pool against real servers. Each test has its own cluster (they run in parallel).
@Suite struct PGPoolIntegrationTests {
    static func configuration(_ cluster: PGLocalCluster, application: String) throws -> PGPool.Configuration {
        var connection = try PGConfig(cluster.url(sslmode: .disable))
        connection.applicationName = application
        var config = PGPool.Configuration(connection: connection)
        // Waiting is not what these tests measure (those that do set their own): a loaded
        // machine may take seconds to connect or to clean a connection up.
        config.acquireTimeout = PGPool.Configuration.testAcquireTimeout
        config.connectBackoffInitial = .milliseconds(50)
        config.connectBackoffMaximum = .milliseconds(400)
        config.shutdownGracePeriod = .seconds(5)
        return config
    }

    /// Runs a pool for `body`, then shuts it down and waits for ``PGPool/run()`` to return.
    static func withPool<Value: Sendable>(
        _ config: PGPool.Configuration, _ body: (PGPool) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "pool-test")
        logger.logLevel = .error  // the faults these tests cause are logged as warnings
        var used: PGPool?
        let value = try await PGPool.withPool(config: config, logger: logger) { pool in
            used = pool
            return try await body(pool)
        }
        // run() has returned: every connection the pool opened is closed.
        #expect(used?.counts.open == 0)
        return value
    }

    /// Polls `condition` until it holds; the bound only catches a hang.
    static func waitUntil(_ condition: () async throws -> Bool, timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within \(timeout)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    struct Boom: Error {}

    /// A counter tasks share.
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func add() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    /// A flag tasks share.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        func set() { value.store(true, ordering: .relaxed) }
        var isSet: Bool { value.load(ordering: .relaxed) }
    }

    /// The connections held right now, to catch one held twice.
    final class Holders: Sendable {
        private let ids = Mutex<Set<Int>>([])
        func enter(_ id: Int) -> Bool { ids.withLock { $0.insert(id).inserted } }
        func leave(_ id: Int) { ids.withLock { _ = $0.remove(id) } }
    }

    @Test func manyTasksShareFewConnectionsAndGetThemBackClean() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            var config = try Self.configuration(cluster, application: "pool-load")
            config.maxConnections = 8
            // The claim is about doubled and leaked connections, not speed: on a loaded CI
            // machine 2,000 leases over 8 connections can queue for longer than 5 s.
            config.acquireTimeout = PGPool.Configuration.testAcquireTimeout
            try await Self.withPool(config) { pool in
                // 200 tasks on 8 connections: no connection is ever held twice, none leaks.
                let holding = Holders()
                let doubled = Counter()
                try await withThrowingDiscardingTaskGroup { group in
                    for task in 0..<200 {
                        group.addTask {
                            for round in 0..<10 {
                                let value = Int32(task * 100 + round)
                                let got = try await pool.withConnection { conn in
                                    if !holding.enter(conn.id) { doubled.add() }
                                    defer { holding.leave(conn.id) }
                                    return try await conn.query("SELECT \(value)::int4").collect().first?.decode(Int32.self)
                                }
                                #expect(got == value)
                            }
                        }
                    }
                }
                #expect(doubled.count == 0)
                // Returns whose ReadyForQuery was a moment late may still be settling.
                try await Self.waitUntil { pool.counts.leased == 0 }
                let counts = pool.counts
                #expect(counts.open <= 8 && counts.waiters == 0)
                let serverSide = try await cluster.psql(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool-load'")
                #expect(Int(serverSide) ?? 99 <= 8)
                #expect(pool.statistics.resets == 0 && pool.statistics.rollbacks == 0)
            }

            // The rest runs on one connection, so each holder sees what the last one left.
            config.maxConnections = 1
            // A connection still busy after this is closed and replaced rather than waited for;
            // long enough that a ROLLBACK or DISCARD ALL on a loaded machine finishes within it.
            config.cleanupTimeout = .seconds(5)
            try await Self.withPool(config) { pool in
                try await pool.execute("CREATE TABLE pool_items (id int)")

                // A holder that throws mid-transaction: rolled back before the next holder.
                await #expect(throws: Boom.self) {
                    try await pool.withConnection { conn in
                        try await conn.simpleQuery("BEGIN")
                        try await conn.execute("INSERT INTO pool_items VALUES (1)")
                        throw Boom()
                    }
                }
                await #expect(throws: Boom.self) {
                    try await pool.withTransaction { conn in
                        try await conn.execute("INSERT INTO pool_items VALUES (2)")
                        throw Boom()
                    }
                }
                // A failed transaction (status E) left open.
                try await pool.withConnection { conn in
                    try await conn.simpleQuery("BEGIN")
                    _ = try? await conn.execute("SELECT 1/0")
                }
                let (status, count) = try await pool.withConnection { conn in
                    (conn.transactionStatus, try await conn.query("SELECT count(*)::int4 FROM pool_items").collect().first?.decode(Int32.self))
                }
                #expect(status == .idle)
                #expect(count == 0)
                #expect(pool.statistics.rollbacks == 2)

                // A plain query costs no reset: the cached prepared statement survives.
                let resetsBefore = pool.statistics.resets
                _ = try await pool.query("SELECT \(Int32(7))::int4")
                let prepared = try await pool.withConnection { conn in
                    try await conn.query("SELECT count(*)::int4 FROM pg_prepared_statements").collect().first?.decode(Int32.self)
                }
                #expect((prepared ?? 0) >= 1)
                #expect(pool.statistics.resets == resetsBefore)

                // SET search_path is reset before the next holder.
                let firstID = try await pool.withConnection { conn in
                    try await conn.simpleQuery("SET search_path TO pg_catalog")
                    return conn.id
                }
                let (secondID, path) = try await pool.withConnection { conn in
                    (conn.id, try await conn.simpleQuery("SHOW search_path").first?.rows.first?.decode(String.self, at: 0))
                }
                #expect(firstID == secondID)
                #expect(path == "\"$user\", public")
                #expect(pool.statistics.resets == resetsBefore + 1)

                // Session changes through extended-protocol statements count too.
                try await pool.execute("SET application_name = 'changed'")
                let name = try await pool.withConnection { conn in
                    try await conn.query("SELECT current_setting('application_name')").collect().first?.decode(String.self)
                }
                #expect(name == "pool-load")

                // A holder that leaves a result unread: drained before the next holder, or closed
                // and replaced when draining takes longer than cleanupTimeout. (On a loaded
                // machine an earlier cleanup may have timed out too: count from here.)
                let failedCleanupsBefore = pool.statistics.closedAfterCleanupFailure
                let busyID = try await pool.withConnection { conn in
                    let rows = try await conn.query("SELECT generate_series(1, 200000)::int4")
                    var iterator = rows.makeAsyncIterator()
                    _ = try await iterator.next()
                    return conn.id
                }
                let (nextID, after) = try await pool.withConnection { conn in
                    (conn.id, try await conn.query("SELECT \(Int32(42))::int4").collect().first?.decode(Int32.self))
                }
                #expect(after == 42)
                #expect(nextID == busyID || pool.statistics.closedAfterCleanupFailure == failedCleanupsBefore + 1)

                // Graceful shutdown: a holder finishes its work; new callers are refused.
                let holderStarted = Flag()
                async let held: Int32? = pool.withConnection { conn in
                    holderStarted.set()
                    try await Task.sleep(for: .milliseconds(300))
                    return try await conn.query("SELECT \(Int32(5))::int4").collect().first?.decode(Int32.self)
                }
                try await Self.waitUntil { holderStarted.isSet }
                pool.shutdown()
                let refused = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
                #expect(refused?.kind == .invalidUsage)
                #expect(try await held == 5)
            }
        }
    }

    @Test func terminatedBackendsAreReplaced() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            var config = try Self.configuration(cluster, application: "pool-term")
            config.minConnections = 4
            config.maxConnections = 4
            try await Self.withPool(config) { pool in
                try await Self.waitUntil { pool.counts.idle == 4 }

                // Idle connections killed: noticed, dropped and refilled to the minimum.
                let killed = try await cluster.psql(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pool-term'")
                #expect(killed == "4")
                try await Self.waitUntil { pool.counts.idle == 4 && pool.statistics.connectAttempts >= 8 }
                for _ in 0..<20 {
                    #expect(try await pool.query("SELECT 1::int4").count == 1)
                }

                // Busy connections killed: their holders fail, everyone else goes on.
                let failures = Counter()
                try await withThrowingDiscardingTaskGroup { group in
                    for _ in 0..<2 {
                        group.addTask {
                            do {
                                try await pool.execute("SELECT pg_sleep(10)")
                            } catch let error as PGError {
                                #expect(error.kind == .connectionClosed || error.sqlState == .adminShutdown)
                                failures.add()
                            }
                        }
                    }
                    try await Self.waitUntil {
                        try await cluster.psql(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool-term' AND query LIKE '%pg_sleep%' AND state = 'active'") == "2"
                    }
                    _ = try await cluster.psql(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pool-term' AND query LIKE '%pg_sleep%'")
                }
                #expect(failures.count == 2)
                try await Self.waitUntil { pool.counts.idle == 4 }
                try await withThrowingDiscardingTaskGroup { group in
                    for _ in 0..<16 {
                        group.addTask { let rows = try await pool.query("SELECT 1::int4"); #expect(rows.count == 1) }
                    }
                }
                let serverSide = try await cluster.psql(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool-term'")
                #expect(serverSide == "4")
            }
        }
    }

    @Test func survivesAServerRestartUnderLoad() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            var config = try Self.configuration(cluster, application: "pool-restart")
            config.maxConnections = 4
            config.acquireTimeout = .milliseconds(800)
            try await Self.withPool(config) { pool in
                let successes = Counter()
                let connectErrors = Counter()
                let otherErrors = Counter()
                let stop = Flag()
                try await withThrowingDiscardingTaskGroup { group in
                    for _ in 0..<16 {
                        group.addTask {
                            while !stop.isSet {
                                do {
                                    _ = try await pool.query("SELECT 1::int4")
                                    successes.add()
                                } catch let error as PGError where error.kind == .connectionFailed {
                                    connectErrors.add()
                                } catch {
                                    otherErrors.add()
                                    try await Task.sleep(for: .milliseconds(10))
                                }
                            }
                        }
                    }
                    try await Self.waitUntil({ successes.count > 200 }, timeout: .seconds(300))
                    try await cluster.stopServer()
                    let attemptsBefore = pool.statistics.connectAttempts
                    try await Task.sleep(for: .seconds(2))
                    // The pool probed one connect at a time, backing off: no storm…
                    let attemptsDuringOutage = pool.statistics.connectAttempts - attemptsBefore
                    #expect(attemptsDuringOutage <= 12, "\(attemptsDuringOutage) connect attempts in 2 s")
                    // …and waiters fail with the connection error after acquireTimeout (on a
                    // starved machine the first may take longer than the 2 s above).
                    try await Self.waitUntil({ connectErrors.count > 0 }, timeout: .seconds(300))
                    let before = successes.count
                    try await cluster.startServer()
                    try await Self.waitUntil({ successes.count > before + 200 }, timeout: .seconds(300))
                    stop.set()
                }
                #expect(pool.counts.open <= 4)
            }
        }
    }
}
