@testable import PGClient
import Testing

/// Cancelling a running statement from Swift (task cancellation becomes a CancelRequest) and
/// the server's own `statement_timeout`. After either the connection keeps working — unless the
/// server does not end a cancelled statement within the cancel timeout, which closes it.
@Suite("Cancellation")
struct CancellationTests {
    @Test func cancellingTheTaskCancelsALongQuery() async throws {
        try await Self.withPatientConnection { connection in
            let clock = ContinuousClock()
            let start = clock.now
            let sleeper = Task { try await connection.execute("SELECT pg_sleep(30)") }
            try await Task.sleep(for: .milliseconds(200))
            sleeper.cancel()
            let result = await sleeper.result
            let elapsed = clock.now - start
            guard case .failure(let failure) = result else {
                Issue.record("pg_sleep(30) returned despite the cancellation")
                return
            }
            let error = try #require(failure as? PGError)
            #expect(error.kind == .cancelled, "\(error)")
            // The statement's rows had started (pg_sleep's column was described), so the stream
            // stops at once; the server's 57014 arrives when the task was cancelled earlier.
            #expect(error.sqlState == nil || error.sqlState == .queryCanceled)
            #expect(elapsed < .seconds(20))  // bounded by the cancel, far below the 30 s sleep
            #expect(connection.transactionStatus == .idle)
            #expect(try await connection.scalar("SELECT 1") == "1")
        }
    }

    @Test func cancellingWhileIteratingRowsStopsTheStream() async throws {
        try await Self.withPatientConnection { connection in
            let clock = ContinuousClock()
            let start = clock.now
            let reader = Task {
                var count = 0
                // pg_sleep per row keeps the server producing for far longer than the test waits.
                let rows = try await connection.query(
                    "SELECT g, pg_sleep(0.001) FROM generate_series(1, 100000000) g")
                for try await _ in rows { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(300))
            reader.cancel()
            let result = await reader.result
            #expect(clock.now - start < .seconds(20))  // far below the time 100M rows take
            switch result {
            case .success(let count):
                Issue.record("the stream of 100M rows ended normally after \(count) rows")
            case .failure(let error):
                #expect((error as? PGError)?.kind == .cancelled, "\(error)")
            }
            // The statement is running, so a cancel (sent again each tick of the cancel timeout,
            // in case the first overtook the statement) ends it: the connection is usable and
            // idle. Had the server not ended it within the timeout, the connection would be
            // closed instead — never left waiting on the stream.
            #expect(try await connection.scalar("SELECT 2") == "2")
            #expect(connection.transactionStatus == .idle)
            #expect(!connection.isClosed)
        }
    }

    @Test func aCancelThatTheStatementSurvivesIsSentAgain() async throws {
        // The first query_canceled is caught, as if the CancelRequest had reached the backend
        // before the statement started (the server ignores it then); the next cancel, at the
        // first tick, ends it. The caller is let go at that tick too: it hears the server's
        // 57014 if that came first, else that the outcome is not known.
        try await Self.withPatientConnection { connection in
            let pid = try #require(connection.backendKeyData?.processID)
            let clock = ContinuousClock()
            let start = clock.now
            let statement = Task {
                try await connection.execute(
                    "DO $$ BEGIN PERFORM pg_sleep(60); EXCEPTION WHEN query_canceled THEN PERFORM pg_sleep(60); END $$")
            }
            try await Self.waitUntilRunning(pid: pid, startingWith: "DO")
            statement.cancel()
            let error = await #expect(throws: PGError.self) { try await statement.value }
            #expect(error?.kind == .cancelled, "\(String(describing: error))")
            #expect(error?.sqlState == .queryCanceled || error?.sqlState == nil)
            #expect(clock.now - start < .seconds(50))  // far below the two sleeps' 120 s
            #expect(!connection.isClosed)
            #expect(try await connection.scalar("SELECT 5") == "5")
        }
    }

    @Test func aStatementThatIgnoresEveryCancelClosesTheConnectionAtTheCancelTimeout() async throws {
        let config = try await TestDatabase.config()
        let connection = try await PGConnection.connect(config: config, options: .init(cancelTimeout: .seconds(1)))
        // The server notices the closed client within 100 ms (else the loop runs to its end).
        try await connection.simpleQuery("SET client_connection_check_interval = '100ms'")
        let pid = try #require(connection.backendKeyData?.processID)
        let clock = ContinuousClock()
        let start = clock.now
        // Every cancel lands inside the block that swallows it: PL/pgSQL checks for interrupts
        // before each statement, so with a block around each sleep a cancel arriving between
        // two of them (more likely on a loaded machine) ended the statement after all. The
        // outer loop goes back into the block right after one is swallowed, and the driver's
        // next cancel comes a fifth of the cancel timeout later.
        let statement = Task {
            try await connection.execute("""
                DO $$ DECLARE deadline timestamptz := clock_timestamp() + interval '120 seconds'; BEGIN
                    WHILE clock_timestamp() < deadline LOOP
                        BEGIN
                            WHILE clock_timestamp() < deadline LOOP PERFORM pg_sleep(0.1); END LOOP;
                        EXCEPTION WHEN query_canceled THEN NULL;
                        END;
                    END LOOP;
                END $$
                """)
        }
        try await Self.waitUntilRunning(pid: pid, startingWith: "DO")
        statement.cancel()
        let error = await #expect(throws: PGError.self) { try await statement.value }
        #expect(error?.kind == .cancelled, "\(String(describing: error))")
        #expect(error?.sqlState == nil)  // the server never confirmed it
        #expect(error?.requestWasSent == true)
        #expect(error?.isSafeToRetry == false)
        #expect(clock.now - start < .seconds(100))  // far below the loop's 120 s
        // The caller was let go at the first tick; the connection closes at the cancel timeout.
        #expect(try await connection.closes())
        let after = await #expect(throws: PGError.self) { try await connection.scalar("SELECT 1") }
        #expect(after?.kind == .connectionClosed)
        #expect(after?.isSafeToRetry == true)
        // What the server holds: the backend saw its client go and ended.
        try await TestDatabase.withConnection { observer in
            var remaining: Int32 = -1
            var polls = 0
            while remaining != 0, polls < 600 {
                polls += 1
                remaining = try await observer.query(
                    "SELECT count(*)::int4 FROM pg_stat_activity WHERE pid = \(pid)"
                ).collect()[0].decode(Int32.self, at: 0)
                if remaining != 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(remaining == 0)
        }
    }

    @Test func aCommitWhoseCancelIsNeverConfirmedHasAnUnknownOutcome() {
        // A cancelled COMMIT that the server does not answer in time may or may not have
        // committed: commit() reports it as unknown, never as success or a plain failure.
        let unconfirmed = PGError(.cancelled, message: "not confirmed", requestWasSent: true, query: "COMMIT")
        #expect(unconfirmed.leftOutcomeUnknown)
        var confirmed = PGError.server(
            [.sqlState: "57014", .message: "canceling statement due to user request"], query: "COMMIT")
        #expect(!confirmed.leftOutcomeUnknown)
        confirmed.kind = .cancelled  // as reportingCancellation() makes it
        #expect(!confirmed.leftOutcomeUnknown)
    }

    /// A connection whose cancel timeout (30 s, a resend every 6 s) is far above what a cancel
    /// takes even on a loaded machine, for tests that assert the connection stays usable.
    static func withPatientConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await PGConnection.withConnection(
            config: TestDatabase.config(), options: .init(cancelTimeout: .seconds(30)), body)
    }

    /// Waits until backend `pid` runs a statement whose text starts with `prefix` (or, with
    /// `running` false, until it no longer does): ordered by what the server reports, never by
    /// sleeping for a guessed time.
    /// Returns whether it did; the test records an issue when it did not.
    @discardableResult
    static func waitUntilRunning(pid: Int32, startingWith prefix: String, running: Bool = true) async throws -> Bool {
        try await TestDatabase.withConnection { observer in
            for _ in 0..<3000 {
                let count = try await observer.query(
                    "SELECT count(*)::int4 FROM pg_stat_activity WHERE pid = \(pid) AND state = 'active' AND query LIKE \(prefix + "%")"
                ).collect()[0].decode(Int32.self, at: 0)
                if (count == 1) == running { return true }
                try await Task.sleep(for: .milliseconds(10))
            }
            Issue.record("backend \(pid) \(running ? "never ran" : "kept running") a statement starting with \(prefix)")
            return false
        }
    }

    /// A pipeline with a Sync after each statement waits for each statement as a query does.
    /// Cancelled while its second statement waits for a lock, with a third in flight behind it,
    /// it cancels what is not answered, the last first: the third's caller is let go, so that a
    /// CancelRequest arriving late could stop only that one, and the server is asked to stop
    /// the second. The first keeps its result, the two others fail (the second with the
    /// server's `query_canceled`, or as cancelled if its caller stopped waiting first), and the
    /// connection serves the next statement while the lock is still held.
    @Test func aCancelledPipelineWithASyncAfterEachStopsTheStatementThatRuns() async throws {
        try await Self.withPatientConnection { connection in
            try await TestDatabase.withConnection { holder in
                // A lock the second statement waits for until the holder lets go of it: the
                // statement runs for as long as the test needs, however loaded the machine.
                let key = Int64.random(in: 1...Int64.max)
                _ = try await holder.query("SELECT pg_advisory_lock(\(key))").collect()
                let pid = try #require(connection.backendKeyData?.processID)
                let task = Task {
                    try await connection.pipeline(
                        ["SELECT 1", "SELECT pg_advisory_lock(\(key))", "SELECT 3"], sync: .afterEach)
                }
                try await Self.waitUntilRunning(pid: pid, startingWith: "SELECT pg_advisory_lock")
                task.cancel()
                let results = try await task.value
                // The server stopped the wait for the lock: the holder has not let go of it.
                let stopped = try await Self.waitUntilRunning(
                    pid: pid, startingWith: "SELECT pg_advisory_lock", running: false)
                let after: String? = stopped ? try await connection.scalar("SELECT 'after'") : nil
                _ = try await holder.query("SELECT pg_advisory_unlock(\(key))").collect()
                #expect(after == "after")
                #expect(results.count == 3)
                #expect(try results[0].get().rows.first?.decode(Int32.self, at: 0) == 1)
                for (index, result) in results.enumerated().dropFirst() {
                    guard case .failure(let error) = result else {
                        Issue.record("statement \(index + 1), cancelled while it waited, has a result")
                        continue
                    }
                    let stoppedByTheServer = index == 1 && error.sqlState == .queryCanceled
                    #expect(error.kind == .cancelled || stoppedByTheServer, "\(error)")
                }
            }
        }
    }

    @Test func statementTimeoutIsAServerErrorAndTheConnectionSurvives() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("SET statement_timeout = 100")
            let error = await #expect(throws: PGError.self) {
                try await connection.execute("SELECT pg_sleep(1)")
            }
            #expect(error?.kind == .server)
            #expect(error?.sqlState == .queryCanceled)
            #expect(error?.message.contains("statement timeout") == true)
            try await connection.simpleQuery("RESET statement_timeout")
            #expect(try await connection.scalar("SELECT 3") == "3")
        }
    }

    @Test func aCancelledTaskBeforeTheQueryStartsDoesNotBreakTheConnection() async throws {
        try await TestDatabase.withConnection { connection in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await connection.scalar("SELECT 'ran'")
            }
            // Either outcome is allowed (the statement is short); the connection must stay sound.
            _ = await task.result
            let after = try await connection.scalar("SELECT 4")
            #expect(after == "4")
        }
    }
}
