import Foundation
import Logging
import PGLocalCluster
import Synchronization
import Testing

@testable import PGClient

/// The server crashes under load (`pg_ctl stop -m immediate`: every process quits at once, and
/// the next start recovers from the WAL). What each writer was told is then checked against what
/// the database holds after recovery.
@Suite("Server crash under load")
struct ServerCrashTests {
    /// What one write's caller was told.
    enum Outcome: Sendable {
        case succeeded
        /// Failed before a byte reached the server: it must not be in the database.
        case notSent
        /// Failed after it was sent: it may or may not be there, once.
        case unknown
    }

    /// Every write's outcome, by id.
    final class Outcomes: Sendable {
        private let outcomes = Mutex<[Int64: Outcome]>([:])

        func record(_ id: Int64, _ outcome: Outcome) { outcomes.withLock { $0[id] = outcome } }
        var all: [Int64: Outcome] { outcomes.withLock { $0 } }
        var succeeded: Int { outcomes.withLock { $0.values.count { if case .succeeded = $0 { true } else { false } } } }
    }

    @Test func anImmediateShutdownUnderLoadLosesNoAcknowledgedWriteAndThePoolWritesAgainAfterRecovery() async throws {
        try await withLocalCluster { cluster in
            let setup = try await cluster.connect()
            try await setup.simpleQuery("CREATE TABLE crash_ledger (id int8 PRIMARY KEY, writer int4 NOT NULL)")
            await setup.close()

            var connection = try PGConfig(cluster.url(sslmode: .disable))
            connection.applicationName = "crash-under-load"
            // The throwaway cluster acknowledges commits before their WAL is written
            // (synchronous_commit=off); a crash may then lose acknowledged commits by design.
            // With it on, an acknowledged commit's WAL is in the kernel before the answer.
            connection.options = "-c synchronous_commit=on"
            var config = PGPool.Configuration(connection: connection)
            config.maxConnections = 4
            config.acquireTimeout = PGPool.Configuration.testAcquireTimeout
            config.connectBackoffInitial = .milliseconds(50)
            config.connectBackoffMaximum = .milliseconds(400)
            config.shutdownGracePeriod = .seconds(5)

            let outcomes = Outcomes()
            let writers = 8
            let crashed = PGPoolIntegrationTests.Flag()
            let recovered = PGPoolIntegrationTests.Flag()
            var logger = Logger(label: "crash-test")
            logger.logLevel = .error
            try await PGPool.withPool(config: config, logger: logger) { pool in
                // Each writer inserts its own ids (writer, writer + 8, …) until its first failure
                // after the crash, or until the server is back (a writer waiting for a connection
                // meanwhile gets one from the restarted server).
                try await withThrowingDiscardingTaskGroup { group in
                    for writer in 0..<writers {
                        group.addTask {
                            var id = Int64(writer)
                            while !recovered.isSet {
                                do {
                                    try await pool.execute("INSERT INTO crash_ledger (id, writer) VALUES (\(id), \(Int32(writer)))")
                                    outcomes.record(id, .succeeded)
                                } catch let error as PGError {
                                    outcomes.record(id, error.requestWasSent ? .unknown : .notSent)
                                    if crashed.isSet { return }
                                }
                                id += Int64(writers)
                            }
                        }
                    }
                    try await PGPoolIntegrationTests.waitUntil({ outcomes.succeeded >= 200 }, timeout: .seconds(300))
                    crashed.set()
                    try await cluster.stopServer(immediately: true)
                    // The server recovers from its WAL.
                    try await cluster.startServer()
                    recovered.set()
                }

                let rows = try await pool.query("SELECT id FROM crash_ledger")
                let stored = Set(try rows.map { try $0.decode(Int64.self, at: 0) })
                #expect(stored.count == rows.count, "an id stored twice")
                let told = outcomes.all
                let lost = told.filter { if case .succeeded = $0.value { !stored.contains($0.key) } else { false } }.keys
                let sentAnyway = told.filter { if case .notSent = $0.value { stored.contains($0.key) } else { false } }.keys
                #expect(lost.isEmpty, "acknowledged and gone after recovery: \(lost.sorted().prefix(10))")
                #expect(sentAnyway.isEmpty, "reported unsent and stored: \(sentAnyway.sorted().prefix(10))")
                // Nothing is stored that no caller tried.
                #expect(stored.isSubset(of: Set(told.keys)))
                #expect(told.values.contains { if case .succeeded = $0 { true } else { false } })

                // The pool drops the dead connections by itself and writes again.
                try await pool.execute("INSERT INTO crash_ledger (id, writer) VALUES (-1, -1)")
                #expect(try await pool.query("SELECT count(*)::int8 FROM crash_ledger WHERE id = -1").first?.decode(Int64.self, at: 0) == 1)
            }
        }
    }
}
