import PGClient
import Testing

/// Caches a statement, changes the result type of its table, and checks that the statement runs
/// again, prepared anew (the server refuses the cached plan with `0A000`).
func expectStalePlanPreparedAgain(on connection: PGConnection) async throws {
    let table = "stale_\(UInt32.random(in: 0...UInt32.max))"
    try await connection.simpleQuery("CREATE TEMP TABLE \(table) (a int4); INSERT INTO \(table) VALUES (1)")
    let query: PGQuery = "SELECT * FROM \(unescaped: table)"
    #expect(try await connection.query(query).collect().first?.count == 1)
    try await connection.simpleQuery("ALTER TABLE \(table) ADD COLUMN b text DEFAULT 'x'")
    let rows = try await connection.query(query).collect()
    #expect(rows.first?.count == 2)
    #expect(try rows.first?.decode(String.self, column: "b") == "x")
}
