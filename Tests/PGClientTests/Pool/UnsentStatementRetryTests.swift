import Logging
import PGLocalCluster
import Testing

@testable import PGClient

/// `PGPool.query` and `execute` run a statement once more, on another connection, when its
/// connection closed before a byte of it was sent — and never when it was sent.
@Suite("Pool: unsent statements run again")
struct UnsentStatementRetryTests {
    @Test(arguments: [1, 2])
    func aStatementWhoseConnectionClosedBeforeItWasSentRunsOnAnother(statementsPerConnection: Int) async throws {
        let cluster = try await SharedCluster.instance.cluster
        var config = try PGPoolIntegrationTests.configuration(cluster, application: "unsent-retry")
        config.statementsPerConnection = statementsPerConnection
        try await PGPoolIntegrationTests.withPool(config) { pool in
            var connections: [Int] = []
            let value = try await pool.withOneOffConnection { connection in
                connections.append(connection.id)
                // The connection closes under the statement before it is written.
                if connections.count == 1 { await connection.close() }
                return try await connection.scalar("SELECT 42")
            }
            #expect(value == "42")
            #expect(connections.count == 2)
            #expect(Set(connections).count == 2, "run again on another connection")
        }
    }

    @Test func aStatementThatWasSentIsNotRunAgain() async throws {
        let cluster = try await SharedCluster.instance.cluster
        try await PGPoolIntegrationTests.withPool(try PGPoolIntegrationTests.configuration(cluster, application: "sent-no-retry")) { pool in
            var attempts = 0
            let error = await #expect(throws: PGError.self) {
                try await pool.withOneOffConnection { connection in
                    attempts += 1
                    // Sent, and the server ends the session while running it.
                    return try await connection.scalar("SELECT pg_terminate_backend(pg_backend_pid())")
                }
            }
            #expect(error?.requestWasSent == true, "\(String(describing: error))")
            #expect(attempts == 1)
        }
    }

    @Test func turnedOffItReportsTheFirstFailure() async throws {
        let cluster = try await SharedCluster.instance.cluster
        var config = try PGPoolIntegrationTests.configuration(cluster, application: "unsent-no-retry")
        config.retriesUnsentStatements = false
        try await PGPoolIntegrationTests.withPool(config) { pool in
            var attempts = 0
            let error = await #expect(throws: PGError.self) {
                try await pool.withOneOffConnection { connection in
                    attempts += 1
                    await connection.close()
                    return try await connection.scalar("SELECT 42")
                }
            }
            #expect(error?.kind == .connectionClosed && error?.isSafeToRetry == true, "\(String(describing: error))")
            #expect(attempts == 1)
        }
    }
}
