import FoundationEssentials
import Logging
import PGClient
import PGLocalCluster
import Testing

@testable import Financbase

/// A store with a replica pool: read-only units on the replica within the lag bound, on the
/// primary beyond it, writes always on the primary. One primary and replica for the suite.
@Suite("FinancbaseStore with a replica")
struct ReplicaReadsTests {
    @Test func readOnlyUnitsGoToTheReplicaWithinTheLagBoundAndWritesToThePrimary() async throws {
        try await withReplicatedCluster { primary, replica in
            let database = try await FinancbaseTestServer.freshDatabase(
                on: FinancbaseTestServer.isolated(primary.url))
            try await TestLedger.create(in: database)
            let context = try await TenantContext.provisioned(in: database)
            var replicaAdmin = try FinancbaseTestServer.isolated(replica.url)
            replicaAdmin.database = database.adminConfig.database
            let replicaApp = FinancbaseTestDatabase(adminConfig: replicaAdmin).appConfig

            try await database.withPoolAndStore { primaryPool, _ in
                var config = PGPool.Configuration(connection: replicaApp)
                config.acquireTimeout = .seconds(900)
                try await PGPool.withPool(config: config) { replicaPool in
                    // Only a caught-up replica serves the strict store; the relaxed one takes any lag.
                    let strict = FinancbaseStore(pool: primaryPool, replica: .init(pool: replicaPool, maximumLag: .milliseconds(1)))
                    let relaxed = FinancbaseStore(pool: primaryPool, replica: .init(pool: replicaPool, maximumLag: .seconds(3600)))

                    // Writes go to the primary even with a replica configured.
                    let wroteOnStandby = try await relaxed.withTenant(context) { repos in
                        try await repos.testLedger.insert(organization: context.organizationID, memo: "first")
                        return try await repos.probe.isInRecovery()
                    }
                    #expect(!wroteOnStandby)
                    try await primary.waitUntilReplayed(by: replica)

                    let (onStandby, memos) = try await relaxed.withTenantReadOnly(context) { repos in
                        (try await repos.probe.isInRecovery(), try await repos.testLedger.memos())
                    }
                    #expect(onStandby)
                    #expect(memos == ["first"])
                    let refused = await #expect(throws: PGError.self) {
                        try await relaxed.withTenantReadOnly(context) { repos in
                            try await repos.testLedger.insert(organization: context.organizationID, memo: "refused")
                        }
                    }
                    #expect(refused?.sqlState == .readOnlySqlTransaction)

                    // Replay paused: the replica receives the second row but does not apply it.
                    try await replica.execute("SELECT pg_wal_replay_pause()")
                    _ = try await relaxed.withTenant(context) { repos in
                        try await repos.testLedger.insert(organization: context.organizationID, memo: "second")
                    }
                    try await Self.waitUntilReceived(by: replica, from: primary)

                    let (strictOnStandby, strictMemos) = try await strict.withTenantReadOnly(context) { repos in
                        (try await repos.probe.isInRecovery(), try await repos.testLedger.memos())
                    }
                    #expect(!strictOnStandby, "a lagging replica served the strict store")
                    #expect(strictMemos == ["first", "second"])
                    let (relaxedOnStandby, relaxedMemos) = try await relaxed.withTenantReadOnly(context) { repos in
                        (try await repos.probe.isInRecovery(), try await repos.testLedger.memos())
                    }
                    #expect(relaxedOnStandby)
                    #expect(relaxedMemos == ["first"])
                    try await replica.execute("SELECT pg_wal_replay_resume()")
                }
            }
        }
    }

    /// Waits until the replica has received (not necessarily replayed) the primary's WAL up to
    /// its current insert position; the bound only catches a hang.
    static func waitUntilReceived(by replica: PGLocalCluster, from primary: PGLocalCluster) async throws {
        // The insert position, not the write position: the throwaway clusters commit with
        // synchronous_commit = off, so a commit's record may not be written yet when this asks.
        let position = try await primary.psql("SELECT pg_current_wal_insert_lsn()")
        let deadline = ContinuousClock.now + .seconds(120)
        while try await replica.psql("SELECT pg_last_wal_receive_lsn() >= '\(position)'::pg_lsn") != "t" {
            guard ContinuousClock.now < deadline else {
                Issue.record("the replica did not receive the WAL in time")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
