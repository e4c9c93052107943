import PGClient
import Synchronization
import Testing

/// What the server says besides rows: notices, the fields of an error, and that interpolated
/// values are parameters rather than SQL.
@Suite("Server messages and parameters")
struct ServerMessagesTests {
    @Test func noticesReachTheHandler() async throws {
        try await TestDatabase.withConnection { connection in
            let notices = Mutex<[PGNotice]>([])
            connection.onNotice { notice in notices.withLock { $0.append(notice) } }
            try await connection.simpleQuery(
                "DO $$ BEGIN RAISE NOTICE 'hello from plpgsql: %', 42; RAISE WARNING 'careful ü'; END $$")
            let received = notices.withLock { $0 }
            #expect(received.map(\.message) == ["hello from plpgsql: 42", "careful ü"])
            #expect(received.map(\.severity) == ["NOTICE", "WARNING"])
            #expect(received.first?.sqlState?.rawValue == "00000")
            #expect(received.last?.sqlState?.rawValue == "01000")
        }
    }

    @Test func uniqueViolationCarriesTheServersFields() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery(
                "CREATE TEMP TABLE accounts (id int, email text CONSTRAINT accounts_email_key UNIQUE)")
            try await connection.execute("INSERT INTO accounts VALUES (\(Int32(1)), \("a@example.com"))")
            let error = await #expect(throws: PGError.self) {
                try await connection.execute("INSERT INTO accounts VALUES (\(Int32(2)), \("a@example.com"))")
            }
            let failure = try #require(error)
            #expect(failure.kind == .server)
            #expect(failure.sqlState == .uniqueViolation)
            #expect(failure.severity == "ERROR")
            #expect(failure.constraintName == "accounts_email_key")
            #expect(failure.tableName == "accounts")
            #expect(failure.schemaName?.hasPrefix("pg_temp") == true)
            #expect(failure.detail == "Key (email)=(a@example.com) already exists.")
            #expect(failure.query == "INSERT INTO accounts VALUES ($1, $2)")
            #expect(failure.description.contains("DETAIL: Key (email)"))
        }
    }

    @Test func errorsCarryHintAndPosition() async throws {
        try await TestDatabase.withConnection { connection in
            let error = await #expect(throws: PGError.self) {
                try await connection.execute("SELECT lenght('x')")
            }
            #expect(error?.hint?.contains("No function matches") == true)
            #expect(error?.position == 8)
            let raised = await #expect(throws: PGError.self) {
                try await connection.simpleQuery(
                    "DO $$ BEGIN RAISE EXCEPTION 'custom' USING DETAIL = 'the detail', HINT = 'the hint', ERRCODE = 'P0042'; END $$")
            }
            #expect(raised?.detail == "the detail")
            #expect(raised?.hint == "the hint")
            #expect(raised?.sqlState?.rawValue == "P0042")
            #expect(raised?.context?.contains("PL/pgSQL") == true)
        }
    }

    @Test func interpolatedValuesAreStoredVerbatim() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE x (note text)")
            let hostile = "'; DROP TABLE x; --"
            let query: PGQuery = "INSERT INTO x VALUES (\(hostile))"
            #expect(query.sql == "INSERT INTO x VALUES ($1)")
            try await connection.execute(query)
            let stored = try await connection.query("SELECT note FROM x").collect()
            #expect(try stored.map { try $0.decode(String.self, at: 0) } == [hostile])
            let same = try await connection.query("SELECT count(*) FROM x WHERE note = \(hostile)").collect()
            #expect(try same.first?.decode(Int64.self, at: 0) == 1)
        }
    }

    @Test func nulCharacterInTextIsAnEncodingErrorAndNothingIsSent() async throws {
        try await TestDatabase.withConnection { connection in
            let error = await #expect(throws: PGError.self) {
                try await connection.execute("SELECT \("a\u{0}b")")
            }
            #expect(error?.kind == .encoding)
            #expect(error?.isSafeToRetry == true)
            let after = try await connection.scalar("SELECT 5")
            #expect(after == "5")
        }
    }

    @Test func commandTagsAndRowCounts() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE counted (id int)")
            let insert = try await connection.execute("INSERT INTO counted SELECT generate_series(1, \(Int32(7)))")
            #expect(insert.commandTag == "INSERT 0 7")
            #expect(insert.rowCount == 7)
            let update = try await connection.execute("UPDATE counted SET id = id + 1 WHERE id > \(Int32(4))")
            #expect(update.rowCount == 3)
            let results = try await connection.simpleQuery("SELECT 1; SELECT 2, 3; DELETE FROM counted")
            #expect(results.map(\.commandTag) == ["SELECT 1", "SELECT 1", "DELETE 7"])
            #expect(results[1].rows.first?.count == 2)
        }
    }
}
