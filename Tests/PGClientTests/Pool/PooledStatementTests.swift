import PGLocalCluster
import PGWire
import Testing

@testable import PGClient

/// One-off statements (`pool.query`, `pool.execute`) queued for a connection and started by
/// whoever lends it one (`PooledStatement`): what each caller gets, and the pool's state after
/// cancellations, timeouts, failures and results too large to arrive at once.
@Suite struct PooledStatementTests {
    typealias Support = PGPoolIntegrationTests

    /// A pool of one connection, so that every statement but the first waits in the queue.
    static func singleConnection(_ cluster: PGLocalCluster, application: String) throws -> PGPool.Configuration {
        var config = try Support.configuration(cluster, application: application)
        config.minConnections = 0
        config.maxConnections = 1
        return config
    }

    /// Holds the pool's only connection until `release` is opened, so that statements queue.
    static func holdingTheConnection<Value: Sendable>(
        _ pool: PGPool, while body: @Sendable () async throws -> Value
    ) async throws -> Value {
        let held = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask {
                // A holder that fails (its own wait timed out) ends the stream, so this never hangs.
                defer { held.continuation.finish() }
                try await pool.withConnection { _ in
                    held.continuation.yield()
                    for await _ in release.stream { break }
                }
                return nil
            }
            var isHeld = false
            for await _ in held.stream {
                isHeld = true
                break
            }
            guard isHeld else {
                for try await _ in group {}
                throw PGPoolIntegrationTests.Boom()
            }
            let value = try await body()
            release.continuation.finish()
            for try await _ in group {}
            return value
        }
    }

    /// Runs a long sleep through `pool`, its text marked with `marker`, and cancels its caller
    /// once `observer` sees it run on the server; expects the caller to get a cancellation.
    static func cancelSleepOnceRunning(through pool: PGPool, marker: String, observer: PGConnection) async throws {
        let sleeping = Task { try await pool.execute(PGQuery(unsafeSQL: "SELECT pg_sleep(600) /* \(marker) */")) }
        try await Support.waitUntil {
            // The pattern is a parameter: the observer's own statement does not contain it.
            try await observer.query(
                "SELECT count(*)::int4 FROM pg_stat_activity WHERE query LIKE \("%" + marker + "%") AND pid <> pg_backend_pid()"
            ).collect().first?.decode(Int32.self, at: 0) == 1
        }
        sleeping.cancel()
        await #expect {
            _ = try await sleeping.value
        } throws: { ($0 as? PGError)?.kind == .cancelled }
    }

    @Test func manyQueuedStatementsEachGetTheirOwnRows() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try Self.singleConnection(cluster, application: "pooled-order")
            try await Support.withPool(config) { pool in
                let finished = Support.Counter()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for value in 0..<40 {
                        group.addTask {
                            let rows = try await pool.query("SELECT \(Int32(value))::int4, pg_backend_pid()")
                            #expect(rows.count == 1)
                            #expect(try rows[0].decode(Int32.self, at: 0) == Int32(value))
                            finished.add()
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(finished.count == 40)
                let statistics = pool.statistics
                #expect(statistics.used == 0)
                #expect(statistics.pending == 0)
            }
        }
    }

    @Test func aResultTooLargeForOneReadStreamsToItsCallerAndTheConnectionComesBack() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try Self.singleConnection(cluster, application: "pooled-stream")
            try await Support.withPool(config) { pool in
                async let large = pool.query("SELECT g, repeat('x', 100) FROM generate_series(1, 50000) g")
                async let small = pool.query("SELECT 7::int4")
                async let executed = pool.execute("SELECT g FROM generate_series(1, 30000) g")
                let (rows, seven, result) = try await (large, small, executed)
                #expect(rows.count == 50_000)
                #expect(try rows.last?.decode(Int32.self, at: 0) == 50_000)
                #expect(try seven.first?.decode(Int32.self, at: 0) == 7)
                #expect(result.rowCount == 30_000)
                #expect(pool.statistics.used == 0)
                #expect(try await pool.query("SELECT 1::int4").count == 1)
            }
        }
    }

    @Test func aCancelledCallerLeavesTheQueueAndTheNextOneRuns() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try Self.singleConnection(cluster, application: "pooled-cancel-queued")
            try await Support.withPool(config) { pool in
                try await Self.holdingTheConnection(pool) {
                    let queued = Task { try await pool.query("SELECT 1::int4") }
                    try await Support.waitUntil { pool.statistics.pending == 1 }
                    queued.cancel()
                    await #expect {
                        _ = try await queued.value
                    } throws: { ($0 as? PGError)?.kind == .cancelled }
                    #expect(pool.statistics.pending == 0)
                }
                #expect(try await pool.query("SELECT 2::int4").first?.decode(Int32.self, at: 0) == 2)
                #expect(pool.statistics.used == 0)
            }
        }
    }

    @Test func aCancelledRunningStatementIsCancelledOnTheServerAndItsConnectionServesTheNext() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try Self.singleConnection(cluster, application: "pooled-cancel-running")
            try await Support.withPool(config) { pool in
                let observer = try await PGConnection.connect(config: PGConfig(cluster.url(sslmode: .disable)))
                try await Self.cancelSleepOnceRunning(through: pool, marker: "pooled-sleep", observer: observer)
                await observer.close()
                // The same (only) connection runs the next statement.
                #expect(try await pool.query("SELECT 3::int4").first?.decode(Int32.self, at: 0) == 3)
                #expect(pool.statistics.created == 1)
            }
        }
    }

    @Test func aCallerThatWaitsTooLongTimesOutAndLeavesNothingBehind() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            var config = try Self.singleConnection(cluster, application: "pooled-timeout")
            config.minConnections = 1
            config.acquireTimeout = .milliseconds(200)
            try await Support.withPool(config) { pool in
                // The holder takes the open connection without waiting, so only the statement
                // meets the short timeout.
                try await Support.waitUntil { pool.statistics.idle == 1 }
                try await Self.holdingTheConnection(pool) {
                    await #expect {
                        _ = try await pool.query("SELECT 1::int4")
                    } throws: { ($0 as? PGError)?.kind == .timeout }
                    #expect(pool.statistics.pending == 0)
                }
                #expect(try await pool.query("SELECT 4::int4").first?.decode(Int32.self, at: 0) == 4)
            }
        }
    }

    @Test func aFailingStatementFailsAloneAndASessionChangeIsResetBeforeTheNext() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try Self.singleConnection(cluster, application: "pooled-failure")
            try await Support.withPool(config) { pool in
                await #expect {
                    _ = try await pool.query("SELECT * FROM no_such_table")
                } throws: { ($0 as? PGError)?.sqlState == .undefinedTable }
                try await pool.execute("SET application_name = 'changed-by-a-one-off'")
                let name = try await pool.query("SHOW application_name").first?.decode(String.self, at: 0)
                #expect(name == "pooled-failure")
                #expect(pool.statistics.resets == 1)
            }
        }
    }
}
