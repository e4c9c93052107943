import PGClient
import PGLocalCluster
import Testing

/// A link lost around COMMIT: the caller is told the outcome is unknown — never success, never
/// a plain failure — and the database shows which it was.
@Suite("Commit outcome under faults")
struct CommitOutcomeTests {
    /// Makes a table for one test and returns its name.
    static func makeTable() async throws -> String {
        let table = "ledger_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TABLE \(table) (id int4 PRIMARY KEY, amount numeric NOT NULL)")
        }
        return table
    }

    static func rows(in table: String) async throws -> Int {
        try await TestDatabase.withConnection { connection in
            Int(try await connection.scalar("SELECT count(*) FROM \(table)") ?? "-1") ?? -1
        }
    }

    /// Resolves a transaction on a direct connection, asking again while its session has not
    /// ended on the server (bounded; the bound only catches a hang).
    static func resolve(_ id: PGTransactionID) async throws -> PGCommitOutcome {
        try await TestDatabase.withConnection { connection in
            var outcome = try await connection.resolveCommit(id)
            var polls = 0
            while outcome == .inProgress, polls < 3000 {
                polls += 1
                try await Task.sleep(for: .milliseconds(10))
                outcome = try await connection.resolveCommit(id)
            }
            return outcome
        }
    }

    @Test(arguments: [false, true])
    func aCommitThatReachedTheServerButWhoseAnswerWasLostIsUnknownAndCommitted(resolvable: Bool) async throws {
        let table = try await Self.makeTable()
        let error = try await withFaultProxy { proxy, config in
            let connection = try await PGConnection.connect(config: config)
            proxy.faults = [.afterMessage(.init(.toServer, "Q", containing: "COMMIT"), .close)]
            return await #expect(throws: PGError.self) {
                try await connection.withTransaction(.init(resolvableCommit: resolvable)) { connection in
                    try await connection.execute("INSERT INTO \(unescaped: table) VALUES (1, 10.00)")
                }
            }
        }
        #expect(error?.kind == .commitStateUnknown, "\(String(describing: error))")
        #expect(error?.isSafeToRetry == false)
        // The server got COMMIT: the row is there, exactly once, and the resolver says so.
        #expect(try await Self.rows(in: table) == 1)
        if resolvable {
            let id = try #require(error?.transactionID)
            #expect(try await Self.resolve(id) == .committed)
        } else {
            #expect(error?.transactionID == nil)
        }
    }

    @Test(arguments: [false, true])
    func aCommitLostBeforeTheServerIsUnknownAndNotCommitted(resolvable: Bool) async throws {
        let table = try await Self.makeTable()
        let error = try await withFaultProxy { proxy, config in
            let connection = try await PGConnection.connect(config: config)
            proxy.faults = [.insteadOfMessage(.init(.toServer, "Q", containing: "COMMIT"), .reset)]
            return await #expect(throws: PGError.self) {
                try await connection.withTransaction(.init(resolvableCommit: resolvable)) { connection in
                    try await connection.execute("INSERT INTO \(unescaped: table) VALUES (1, 10.00)")
                }
            }
        }
        #expect(error?.kind == .commitStateUnknown, "\(String(describing: error))")
        if resolvable {
            // Once the server has seen the session go, the transaction is aborted.
            let id = try #require(error?.transactionID)
            #expect(try await Self.resolve(id) == .aborted)
        }
        // Nothing re-sent it: the transaction died with its session.
        #expect(try await Self.rows(in: table) == 0)
    }

    @Test func theResolverKnowsCommittedAbortedAndRunningTransactionsAndRefusesUnknownIds() async throws {
        try await TestDatabase.withConnection { connection in
            let running = try await TestDatabase.withConnection { other in
                try await other.simpleQuery("BEGIN")
                let id = try #require(PGTransactionID(try await other.scalar("SELECT pg_current_xact_id()::text") ?? ""))
                #expect(try await connection.resolveCommit(id) == .inProgress)
                try await other.simpleQuery("ROLLBACK")
                return id
            }
            #expect(try await connection.resolveCommit(running) == .aborted)
            let committed = try await connection.withTransaction(.init(resolvableCommit: true)) { connection in
                try await connection.scalar("SELECT pg_current_xact_id()::text")
            }
            #expect(try await connection.resolveCommit(#require(committed.flatMap(PGTransactionID.init))) == .committed)
            // An id from the future is not one the server can answer for.
            await #expect(throws: PGError.self) {
                try await connection.resolveCommit(PGTransactionID(rawValue: 1 << 60))
            }
            #expect(try await connection.scalar("SELECT 'usable'") == "usable")
        }
    }

    @Test func aCommitOnALinkThatWentSilentReturnsOnceCancelledAsUnknown() async throws {
        // The link stops both ways right after COMMIT is sent; the caller's task is cancelled.
        // The cancel cannot be confirmed over a silent link, so the connection is given up at
        // the cancel timeout and the outcome is reported unknown.
        let table = try await Self.makeTable()
        try await withFaultProxy { proxy, config in
            let connection = try await PGConnection.connect(config: config, options: .init(cancelTimeout: .seconds(1)))
            proxy.faults = [.afterMessage(.init(.toServer, "Q", containing: "COMMIT"), .stall)]
            let clock = ContinuousClock()
            let start = clock.now
            let unit = Task {
                try await connection.withTransaction(.init(resolvableCommit: true)) { connection in
                    try await connection.execute("INSERT INTO \(unescaped: table) VALUES (1, 10.00)")
                }
            }
            // Ordered by what the server holds: the row is committed, so COMMIT went through.
            var polls = 0
            while try await Self.rows(in: table) == 0, polls < 3000 {
                polls += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            unit.cancel()
            let error = await #expect(throws: PGError.self) { try await unit.value }
            #expect(error?.kind == .commitStateUnknown, "\(String(describing: error))")
            #expect(clock.now - start < .seconds(60))  // catches a hang only
            #expect(try await Self.resolve(#require(error?.transactionID)) == .committed)
            // The caller was let go at the first tick; the connection closes at the cancel timeout.
            #expect(try await connection.closes())
            proxy.breakConnections(.close)
        }
        #expect(try await Self.rows(in: table) == 1)
    }

    @Test func aCancelledCallOnASilentLinkReturnsBeforeTheConnectionGivesUp() async throws {
        // The link goes silent once the statement is sent. The caller is let go at the first
        // cancel tick (a fifth of the timeout), told that the outcome is not known; the
        // connection goes on waiting for the cancel until the timeout, then closes; a call made
        // meanwhile waits its turn and fails as never sent. Order, not time, is asserted: the
        // timeout sits far above what letting go takes.
        try await withFaultProxy { proxy, config in
            let connection = try await PGConnection.connect(config: config, options: .init(cancelTimeout: .seconds(10)))
            proxy.faults = [.afterMessage(.init(.toServer, "Q", containing: "SELECT 42"), .stall)]
            let call = Task { try await connection.simpleQuery("SELECT 42") }
            // Written at once; whenever the cancel comes, the answer never does.
            try await Task.sleep(for: .milliseconds(50))
            call.cancel()
            let error = await #expect(throws: PGError.self) { try await call.value }
            #expect(error?.kind == .cancelled, "\(String(describing: error))")
            #expect(error?.sqlState == nil)
            #expect(error?.requestWasSent == true)
            #expect(!connection.isClosed)  // let go four ticks before the connection gives up
            let next = await #expect(throws: PGError.self) { try await connection.scalar("SELECT 1") }
            #expect(next?.kind == .connectionClosed && next?.isSafeToRetry == true, "\(String(describing: next))")
            #expect(connection.isClosed)
            proxy.breakConnections(.close)
        }
    }
}
