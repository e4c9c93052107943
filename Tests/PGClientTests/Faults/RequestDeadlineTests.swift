import PGClient
import PGLocalCluster
import Testing

/// A request's deadline (`PGConnection.Options.requestTimeout`): a call never waits longer for
/// its result; the statement is cancelled, and the connection is usable afterwards or closed.
@Suite("Request deadline")
struct RequestDeadlineTests {
    @Test func aStatementPastItsDeadlineIsCancelledAndTheConnectionStaysUsable() async throws {
        let config = try await TestDatabase.config()
        // A deadline far below the statement's 60 s and far above what the other statements
        // take on a loaded machine (it applies to every request of the connection); the patient
        // cancel timeout keeps the connection open while the server confirms the cancel.
        let options = PGConnection.Options(cancelTimeout: .seconds(60), requestTimeout: .seconds(5))
        try await PGConnection.withConnection(config: config, options: options) { connection async throws in
            let error = await #expect(throws: PGError.self) { try await connection.execute("SELECT pg_sleep(60)") }
            #expect(error?.kind == .timeout, "\(String(describing: error))")
            #expect(error?.requestWasSent == true)
            // Confirmed by the server (57014), unless the first cancel tick (12 s) came first.
            #expect(error?.sqlState == .queryCanceled || error?.sqlState == nil)
            #expect(try await connection.scalar("SELECT 'usable'") == "usable")
            #expect(connection.transactionStatus == .idle)
            // A statement within its deadline is not touched.
            #expect(try await connection.scalar("SELECT 7") == "7")
        }
    }

    @Test func aCommitOnASilentLinkReturnsAtItsDeadlineAsUnknown() async throws {
        let table = try await CommitOutcomeTests.makeTable()
        try await withFaultProxy { proxy, config in
            // The stalled COMMIT never ends, so any deadline fires on it; BEGIN and the INSERT,
            // under the same deadline, end far within it even on a loaded machine.
            let options = PGConnection.Options(cancelTimeout: .seconds(1), requestTimeout: .seconds(10))
            let connection = try await PGConnection.connect(config: config, options: options)
            proxy.faults = [.afterMessage(.init(.toServer, "Q", containing: "COMMIT"), .stall)]
            let error = await #expect(throws: PGError.self) {
                try await connection.withTransaction(.init(resolvableCommit: true)) { connection in
                    try await connection.execute("INSERT INTO \(unescaped: table) VALUES (1, 10.00)")
                }
            }
            // Never success, never a plain failure: the server may have committed.
            #expect(error?.kind == .commitStateUnknown, "\(String(describing: error))")
            let id = try #require(error?.transactionID)
            #expect(try await connection.closes())
            proxy.breakConnections(.close)
            #expect(try await CommitOutcomeTests.resolve(id) == .committed)
        }
        #expect(try await CommitOutcomeTests.rows(in: table) == 1)
    }
}
