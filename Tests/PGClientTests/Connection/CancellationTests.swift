import PGClient
import Testing

/// Cancelling a running statement from Swift (task cancellation becomes a CancelRequest) and
/// the server's own `statement_timeout`; after either, the connection keeps working.
@Suite("Cancellation")
struct CancellationTests {
    @Test func cancellingTheTaskCancelsALongQuery() async throws {
        try await TestDatabase.withConnection { connection in
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
        try await TestDatabase.withConnection { connection in
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
            // Whatever the stream reported, the connection must be usable and idle.
            #expect(try await connection.scalar("SELECT 2") == "2")
            #expect(connection.transactionStatus == .idle)
            #expect(!connection.isClosed)
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
