import Financbase
import PGClient
import Testing

@Suite("Foundation migration")
struct FoundationMigrationTests {
    @Test("the tenant helpers read an unset or empty context as NULL")
    func emptyContextIsNull() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withAppConnection { connection in
            let unset = try await connection.query("SELECT app.current_org_id() IS NULL").collect()
            #expect(try unset[0].decode(Bool.self, at: 0))
            try await connection.simpleQuery("SET app.current_org_id = ''")
            let empty = try await connection.query("SELECT app.current_org_id() IS NULL").collect()
            #expect(try empty[0].decode(Bool.self, at: 0))
        }
    }
}
