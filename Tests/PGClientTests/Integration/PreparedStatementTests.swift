import Foundation
import PGClient
import PGWire
import Testing

/// Explicitly prepared statements against the real server.
@Suite("Prepared statements")
struct PreparedStatementTests {
    @Test func runsWithTypedValuesAndKnowsItsColumnsBeforehand() async throws {
        try await TestDatabase.withConnection { connection in
            let statement = try await connection.prepare(
                "SELECT $1::int4 * 2 AS doubled, upper($2) AS shout", parameters: (Int32, String).self)
            #expect(statement.columns.names == ["doubled", "shout"])
            for value in Int32(1)...3 {
                let rows = try await connection.query(statement, value, "x\(value)").collect()
                let (doubled, shout) = try #require(rows.first).decode((Int32, String).self)
                #expect(doubled == value * 2)
                #expect(shout == "X\(value)")
            }
            #expect(try await connection.scalar("SELECT count(*) FROM pg_prepared_statements WHERE name = '\(statement.name)'") == "1")
        }
    }

    @Test func executesAndInsertsEveryRow() async throws {
        try await TestDatabase.withConnection { connection in
            let table = "prep_\(UInt32.random(in: 0...UInt32.max))"
            try await connection.simpleQuery("CREATE TEMP TABLE \(table) (id uuid, amount numeric(12,2), note text)")
            let insert = try await connection.prepare(
                "INSERT INTO \(table) (id, amount, note) VALUES ($1, $2, $3)", parameters: (UUID, PGNumeric, String?).self)
            #expect(insert.columns.count == 0)
            for index in 0..<10 {
                let result = try await connection.execute(insert, UUID(), try #require(PGNumeric("\(index).50")), index.isMultiple(of: 2) ? nil : "odd")
                #expect(result.commandTag == "INSERT 0 1")
            }
            #expect(try await connection.scalar("SELECT count(*) || ' ' || sum(amount) || ' ' || count(note) FROM \(table)") == "10 50.00 5")
        }
    }

    @Test func aStatementThatDoesNotParseIsAnErrorAndNotPrepared() async throws {
        try await TestDatabase.withConnection { connection in
            do {
                _ = try await connection.prepare("SELEKT $1", parameters: Int32.self)
                Issue.record("a statement that does not parse was prepared")
            } catch let error as PGError {
                #expect(error.sqlState == .syntaxError)
            }
            #expect(try await connection.scalar("SELECT count(*) FROM pg_prepared_statements") == "0")
            #expect(connection.transactionStatus == .idle)
        }
    }

    @Test func aStatementBelongsToItsConnection() async throws {
        try await TestDatabase.withConnection { first in
            let statement = try await first.prepare("SELECT $1::int8", parameters: Int64.self)
            try await TestDatabase.withConnection { second in
                do {
                    _ = try await second.query(statement, 1)
                    Issue.record("a statement ran on another connection")
                } catch let error as PGError {
                    #expect(error.kind == .invalidUsage)
                }
            }
        }
    }

    /// A deallocated (or discarded) statement fails with the server's error — once: it is not
    /// the cache's, so it is not prepared again behind the caller's back.
    @Test func aDeallocatedStatementFailsWithTheServersError() async throws {
        try await TestDatabase.withConnection { connection in
            let statement = try await connection.prepare("SELECT $1::int4", parameters: Int32.self)
            try await connection.deallocate(statement)
            await #expect(throws: PGError.self) { _ = try await connection.query(statement, 1).collect() }
            let again = try await connection.prepare("SELECT $1::int4 + 1", parameters: Int32.self)
            try await connection.simpleQuery("DISCARD ALL")
            do {
                _ = try await connection.query(again, 1).collect()
                Issue.record("a discarded statement ran")
            } catch let error as PGError {
                #expect(error.sqlState == .invalidSqlStatementName)
            }
            #expect(try await connection.scalar("SELECT 1") == "1")
        }
    }

    /// Preparing is session state: a pool resets the connection before the next holder.
    @Test func aPoolResetsAConnectionThatPreparedAStatement() async throws {
        var configuration = PGPool.Configuration(connection: try await TestDatabase.config())
        configuration.maxConnections = 1
        // Only a hang should fail this: the reset may queue the next holder for long on a
        // starved machine.
        configuration.acquireTimeout = PGPool.Configuration.testAcquireTimeout
        try await PGPool.withPool(config: configuration) { pool in
            let pid = try await pool.withConnection { connection in
                _ = try await connection.prepare("SELECT $1::text", parameters: String.self)
                return try await connection.scalar("SELECT pg_backend_pid()")
            }
            let (samePID, prepared) = try await pool.withConnection { connection in
                (try await connection.scalar("SELECT pg_backend_pid()"),
                 try await connection.scalar("SELECT count(*) FROM pg_prepared_statements"))
            }
            #expect(samePID == pid)
            #expect(prepared == "0")
        }
    }
}
