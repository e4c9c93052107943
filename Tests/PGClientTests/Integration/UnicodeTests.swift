import PGClient
import PGLocalCluster
import Testing

/// Unicode in every name and value: the user, the database, the password (through SASLprep),
/// tables and columns, text values and `application_name`.
@Suite("Unicode")
struct UnicodeTests {
    @Test(arguments: [PGLocalCluster.SSLMode.disable, .verifyFull])
    func unicodeUserDatabaseAndPassword(sslmode: PGLocalCluster.SSLMode) async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(
            as: TestRoles.unicode, database: TestRoles.unicodeDatabase, sslmode: sslmode,
            overrides: ["application_name": "äpp_名前_🎉"])
        #expect(connection.authenticationMethod == .scramSHA256)
        let rows = try await connection.query(
            "SELECT current_user::text, current_database()::text, current_setting('application_name')").collect()
        let (user, database, application) = try #require(rows.first).decode((String, String, String).self)
        #expect(user == TestRoles.unicode.name)
        #expect(database == TestRoles.unicodeDatabase)
        // The server keeps only printable ASCII in application_name: PostgreSQL 15 turns every
        // other byte into "?" (16 and later into "\\x.." escapes). One mark per UTF-8 byte
        // shows the name arrived as UTF-8.
        let sent = "äpp_名前_🎉"
        let questionMarks = String(sent.utf8.map { $0 < 0x80 ? Character(UnicodeScalar($0)) : "?" })
        let escapes = sent.utf8.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined()
        #expect([questionMarks, escapes].contains(application), "\(application)")
        #expect(connection.serverParameters["application_name"] == application)
        await connection.close()
    }

    @Test func saslPreparedPasswordIsTheSamePassword() async throws {
        let cluster = try await SharedCluster.instance.cluster
        // "ﬁ" and "fi" are one password after SASLprep, on the server's side and ours.
        let connection = try await cluster.connect(
            as: TestRoles.unicode, password: TestRoles.unicodePasswordPrepared,
            database: TestRoles.unicodeDatabase, sslmode: .disable)
        #expect(try await connection.scalar("SELECT 1") == "1")
        await connection.close()
        let wrong = try #require(await connectionError(cluster.clientConfig(
            as: TestRoles.unicode, password: "pässwörd_fl_密码", database: TestRoles.unicodeDatabase, sslmode: .disable)))
        #expect(wrong.sqlState == .invalidPassword)
    }

    @Test func unicodeTableColumnAndValues() async throws {
        try await TestDatabase.withConnection { connection in
            let table = "täble \"名前\" 🎉"
            let column = "cölumn_名"
            try await connection.execute("CREATE TEMP TABLE \(identifier: table) (\(identifier: column) text, \"id\" int)")
            let values = ["grüße", "日本語のテキスト", "emoji 👩‍👩‍👧‍👦", "RTL עברית", "combining é vs é"]
            for (index, value) in values.enumerated() {
                try await connection.execute("INSERT INTO \(identifier: table) VALUES (\(value), \(Int32(index)))")
            }
            let rows = try await connection.query(
                "SELECT \(identifier: column) FROM \(identifier: table) ORDER BY id").collect()
            #expect(rows.first?.columns.names == [column])
            #expect(try rows.map { try $0.decode(String.self, column: column) } == values)
            // The simple protocol's text results carry the same characters.
            let text = try await connection.simpleQuery("SELECT \"cölumn_名\" FROM \"täble \"\"名前\"\" 🎉\" ORDER BY id")
            #expect(try text.first?.rows.map { try $0.decode(String.self, at: 0) } == values)
            // A lookup by a unicode value matches exactly one row (no normalisation happens).
            let found = try await connection.query(
                "SELECT id FROM \(identifier: table) WHERE \(identifier: column) = \("combining é vs é")").collect()
            #expect(try found.map { try $0.decode(Int32.self, at: 0) } == [4])
        }
    }
}
