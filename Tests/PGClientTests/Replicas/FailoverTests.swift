import Logging
import PGClient
import PGLocalCluster
import Testing

/// A pool over `primary,replica` with `target_session_attrs=read-write` while the primary stops
/// and the replica is promoted: the pool finds the new primary by itself, writes resume, and no
/// write is reported done that the database does not hold exactly once.
@Suite("Replicas: failover")
struct FailoverTests {
    @Test func writesResumeOnThePromotedReplicaAndNoneIsReportedDoneWrongly() async throws {
        try await withReplicatedCluster { primary, replica in
            try await primary.execute("CREATE TABLE failover_writes (id bigint NOT NULL)")
            var config = PGPool.Configuration.forTests(
                try PGConfig.isolated(primary.url(listing: [replica], targetSessionAttributes: "read-write")))
            config.maxConnections = 4
            config.connectBackoffInitial = .milliseconds(20)
            config.connectBackoffMaximum = .milliseconds(200)
            var logger = Logger(label: "failover-test")
            logger.logLevel = .critical  // the switch makes connections fail on purpose
            let ledger = WriteLedger()
            try await PGPool.withPool(config: config, logger: logger) { pool in
                try await withThrowingTaskGroup(of: Void.self) { writers in
                    for writer in 1...4 {
                        writers.addTask { try await ledger.write(from: writer, to: pool, table: "failover_writes") }
                    }
                    try await ledger.waitForSuccesses(20)
                    // A fast shutdown ends every session and ships the WAL to the standby first.
                    try await primary.stopServer()
                    try await replica.promote()
                    let promotedAt = ledger.phase(.afterFault)
                    try await ledger.waitForSuccesses(promotedAt + 20)
                    ledger.phase(.stopping)
                    try await writers.waitForAll()
                }
            }
            #expect(try await !replica.isInRecovery())
            #expect(ledger.outcomes.succeededAfterFault >= 20)
            ledger.expectAgreement(with: try await replica.psql(WriteLedger.storedCounts(in: "failover_writes")))
        }
    }
}
