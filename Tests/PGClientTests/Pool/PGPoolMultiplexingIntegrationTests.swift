import Logging
import NIOPosix
import PGLocalCluster
import Synchronization
import Testing

@testable import PGClient

/// Multiplexed one-off statements against real servers. Each test has its own cluster.
@Suite(.timeLimit(.minutes(10))) struct PGPoolMultiplexingIntegrationTests {
    typealias Support = PGPoolIntegrationTests

    static func configuration(
        _ cluster: PGLocalCluster, application: String, connections: Int, perConnection: Int
    ) throws -> PGPool.Configuration {
        var config = try Support.configuration(cluster, application: application)
        config.maxConnections = connections
        config.statementsPerConnection = perConnection
        // The claims are about correctness, not speed: a loaded machine may queue for long.
        config.acquireTimeout = PGPool.Configuration.testAcquireTimeout
        return config
    }

    /// The largest value a condition took while `body` ran, sampled every few milliseconds.
    final class Peak: Sendable {
        private let value = Atomic<Int>(0)
        func record(_ sample: Int) { value.max(sample, ordering: .relaxed) }
        var maximum: Int { value.load(ordering: .relaxed) }
    }

    /// Values tasks collect.
    final class Collected: Sendable {
        private let values = Mutex<[Int32]>([])
        func add(_ value: Int32) { values.withLock { $0.append(value) } }
        var all: [Int32] { values.withLock { $0 } }
    }

    @Test func manyStatementsShareFewConnectionsAndAllComeBack() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try Self.configuration(cluster, application: "pool-mux", connections: 4, perConnection: 8)
            try await Support.withPool(config) { pool in
                let wrong = Support.Counter()
                let peak = Peak()
                let done = Support.Flag()
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask {
                        while !done.isSet {
                            peak.record(pool.counts.statements)
                            try await Task.sleep(for: .milliseconds(2))
                        }
                    }
                    try await withThrowingDiscardingTaskGroup { statements in
                        for task in 0..<200 {
                            statements.addTask {
                                // The sleep keeps statements overlapping, so that they must share.
                                let value = Int32(task)
                                let rows = try await pool.query("SELECT \(value)::int4 FROM pg_sleep(0.005)")
                                let got = try rows.first?.decode(Int32.self)
                                if rows.count != 1 || got != value { wrong.add() }
                            }
                        }
                    }
                    done.set()
                }
                #expect(wrong.count == 0)
                // More statements ran at once than there are connections: they were shared.
                #expect(peak.maximum > 4 && peak.maximum <= 32, "peak \(peak.maximum) statements")
                try await Support.waitUntil { pool.counts.leased == 0 }
                let counts = pool.counts
                #expect(counts.open <= 4 && counts.idle == counts.open && counts.waiters == 0)
                #expect(counts.shared == 0 && counts.statements == 0)
                let serverSide = try await cluster.psql(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool-mux'")
                #expect(Int(serverSide) ?? 99 <= 4)
                #expect(pool.statistics.resets == 0 && pool.statistics.rollbacks == 0)
            }
        }
    }

    @Test func aFailingStatementFailsAloneAndSessionChangesAreUndoneWhenDrained() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            let config = try Self.configuration(cluster, application: "pool-mux-err", connections: 1, perConnection: 8)
            try await Support.withPool(config) { pool in
                // Eight statements pipelined on the one connection; every fourth divides by zero.
                let divisionErrors = Support.Counter()
                let successes = Support.Counter()
                let others = Support.Counter()
                try await withThrowingDiscardingTaskGroup { group in
                    for task in 0..<24 {
                        group.addTask {
                            let divisor = Int32(task % 4 == 0 ? 0 : 1)
                            do {
                                let rows = try await pool.query("SELECT (\(Int32(task)) / \(divisor))::int4 FROM pg_sleep(0.005)")
                                if (try rows.first?.decode(Int32.self)) == Int32(task) { successes.add() } else { others.add() }
                            } catch let error as PGError where error.sqlState == .divisionByZero {
                                divisionErrors.add()
                            } catch {
                                others.add()
                            }
                        }
                    }
                }
                #expect(divisionErrors.count == 6 && successes.count == 18 && others.count == 0)
                try await Support.waitUntil { pool.counts.leased == 0 }
                #expect(pool.statistics.rollbacks == 0)

                // A session change by a one-off statement is undone when the connection drains.
                try await pool.execute("SET search_path TO pg_catalog")
                let path = try await pool.withConnection { conn in
                    try await conn.simpleQuery("SHOW search_path").first?.rows.first?.decode(String.self, at: 0)
                }
                #expect(path == "\"$user\", public")
                #expect(pool.statistics.resets == 1)

                // So is a transaction a one-off statement opened (against the rules).
                try await pool.execute("BEGIN")
                let status = try await pool.withConnection { $0.transactionStatus }
                #expect(status == .idle)
                #expect(pool.statistics.rollbacks == 1)
            }
        }
    }

    @Test func aTerminatedSharedConnectionFailsOnlyItsStatements() async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            var config = try Self.configuration(cluster, application: "pool-mux-term", connections: 2, perConnection: 8)
            config.minConnections = 2
            try await Support.withPool(config) { pool in
                try await Support.waitUntil { pool.counts.idle == 2 }
                let pids = Collected()
                let failures = Support.Counter()
                let wrongFailures = Support.Counter()
                var killed: Int32?
                // Every statement waits for a lock the test holds, so the kill lands during the
                // first statement of its connection however slow the machine is.
                let gate = try await PGConnection.connect(config: config.connection)
                try await gate.execute("SELECT pg_advisory_lock(4242)")
                try await withThrowingDiscardingTaskGroup { group in
                    // Six statements on two connections: three on each, pipelined.
                    for _ in 0..<6 {
                        group.addTask {
                            do {
                                let rows = try await pool.query("SELECT pg_backend_pid() FROM pg_advisory_xact_lock_shared(4242)")
                                if let pid = try rows.first?.decode(Int32.self) { pids.add(pid) }
                            } catch let error as PGError where error.kind == .connectionClosed || error.sqlState == .adminShutdown {
                                failures.add()
                            } catch {
                                wrongFailures.add()
                            }
                        }
                    }
                    try await Support.waitUntil({ pool.counts.statements == 6 && pool.counts.shared == 2 }, timeout: .seconds(120))
                    try await Support.waitUntil({
                        try await cluster.psql(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool-mux-term' AND query LIKE '%pg_advisory_xact_lock_shared%' AND state = 'active'") == "2"
                    }, timeout: .seconds(120))
                    let pid = try await cluster.psql(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = 'pool-mux-term' AND query LIKE '%pg_advisory_xact_lock_shared%' ORDER BY pid LIMIT 1")
                    killed = Int32(pid)
                    _ = try await cluster.psql("SELECT pg_terminate_backend(\(pid))")
                    try await Support.waitUntil({ failures.count == 3 }, timeout: .seconds(120))
                    await gate.close()  // the other connection's statements go on
                }
                // The three statements on the terminated connection failed, each with its own
                // error; the three on the other one succeeded.
                #expect(failures.count == 3 && wrongFailures.count == 0)
                let survivors = pids.all
                #expect(survivors.count == 3)
                #expect(killed != nil && !survivors.contains { $0 == killed })

                // The pool recovers: back to two idle connections, and statements run again.
                try await Support.waitUntil { pool.counts.idle == 2 && pool.counts.statements == 0 }
                try await withThrowingDiscardingTaskGroup { group in
                    for value in 0..<32 {
                        group.addTask {
                            let rows = try await pool.query("SELECT \(Int32(value))::int4")
                            #expect((try rows.first?.decode(Int32.self)) == Int32(value))
                        }
                    }
                }
                let serverSide = try await cluster.psql(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool-mux-term'")
                #expect(serverSide == "2")
            }
        }
    }

    @Test func connectionsSpreadOverTheEventLoopsAndCallersGetOneOnTheirOwn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        do {
            try await Self.checkLoops(group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    /// The body of the test above, on a group of its own.
    static func checkLoops(_ group: MultiThreadedEventLoopGroup) async throws {
        try await withLocalCluster(options: .init(isTLSEnabled: false)) { cluster in
            var config = try configuration(cluster, application: "pool-mux-loops", connections: 4, perConnection: 4)
            config.minConnections = 4
            var logger = Logger(label: "pool-test")
            logger.logLevel = .error
            try await PGPool.withPool(config: config, eventLoopGroup: group, logger: logger) { pool in
                try await Support.waitUntil { pool.counts.idle == 4 }
                let executors = pool.executors
                #expect(executors.count == 2)
                let onOwnLoop = Support.Counter()
                let elsewhere = Support.Counter()
                try await withThrowingDiscardingTaskGroup { tasks in
                    // One caller per loop: a connection on its own loop is always free (the one
                    // it just returned may still be settling, but the loop has two).
                    for executor in executors {
                        tasks.addTask(executorPreference: executor) {
                            for round in 0..<20 {
                                let own: Bool
                                if round % 2 == 0 {
                                    own = try await pool.withConnection { conn in
                                        _ = try await conn.query("SELECT 1::int4").collect()
                                        return conn.channel.eventLoop.inEventLoop
                                    }
                                } else {
                                    let conn = try await pool.acquire(.statement)
                                    own = conn.channel.eventLoop.inEventLoop
                                    _ = try? await conn.query("SELECT 1::int4").collect()
                                    pool.finishStatement(on: conn)
                                }
                                if own { onOwnLoop.add() } else { elsewhere.add() }
                            }
                        }
                    }
                }
                #expect(onOwnLoop.count == 40 && elsewhere.count == 0)
                // Two connections on each loop.
                let loops = try await pool.withConnection { _ in pool.state.withLock { state in
                    state.connections.values.map { ObjectIdentifier($0.channel.eventLoop) }
                } }
                #expect(Set(loops).count == 2)
                #expect(Dictionary(grouping: loops) { $0 }.values.allSatisfy { $0.count == 2 })
            }
        }
    }
}
