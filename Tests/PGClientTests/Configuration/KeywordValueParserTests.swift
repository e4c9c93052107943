import Testing

@testable import PGClient

@Suite("KeywordValueParser")
struct ConfigKeywordValueParserTests {
    struct Case: Sendable, CustomStringConvertible {
        var string: String
        var expected: [String: String]
        var description: String { string }
    }

    static let cases: [Case] = [
        // From libpq's documentation.
        Case(
            string: "host=localhost port=5432 dbname=mydb connect_timeout=10",
            expected: [
                "host": "localhost", "port": "5432", "dbname": "mydb", "connect_timeout": "10",
            ]),
        Case(string: "", expected: [:]),
        Case(string: "   ", expected: [:]),
        Case(
            string: "host = localhost\tport= 5433  dbname =mydb",
            expected: ["host": "localhost", "port": "5433", "dbname": "mydb"]),
        Case(
            string: "options='-c search_path=ledger'",
            expected: ["options": "-c search_path=ledger"]),
        Case(string: #"password='it\'s a \\ secret'"#, expected: ["password": #"it's a \ secret"#]),
        Case(string: #"password=a\ b\'c"#, expected: ["password": "a b'c"]),
        Case(string: "dbname=''", expected: ["dbname": ""]),
        Case(string: "dbname=", expected: ["dbname": ""]),
        Case(string: "application_name='café ☕'", expected: ["application_name": "café ☕"]),
        Case(string: "host=a host=b", expected: ["host": "b"]),
        Case(string: "user='x'dbname=y", expected: ["user": "x", "dbname": "y"]),
        Case(string: "host==x", expected: ["host": "=x"]),
    ]

    @Test(arguments: cases)
    func parses(_ test: Case) throws {
        let options = try KeywordValueParser.parse(test.string)
        let parsed = Dictionary(
            uniqueKeysWithValues: options.values.map { ($0.key.rawValue, $0.value) })
        #expect(parsed == test.expected)
    }

    @Test(arguments: [
        ("host localhost", "host"),
        ("dbname", "dbname"),
        ("bogus=1", "bogus"),
        ("=value", ""),
        ("options='-c x", "options"),
        ("host=a port", "port"),
    ])
    func rejects(_ string: String, key: String) {
        #expect(throws: PGConfigError.self) { try KeywordValueParser.parse(string) }
        do {
            _ = try KeywordValueParser.parse(string)
        } catch {
            #expect(error.key == key)
        }
    }

    @Test func typedFields() throws {
        let config = try parse(
            "host=/tmp port=5433 user=app dbname=ledger sslmode=verify-full sslrootcert=system "
                + "fallback_application_name=tool require_auth=!password,!md5")
        #expect(config.hosts == [PGConfig.Host(host: "/tmp", port: 5433)])
        #expect(config.hosts[0].unixSocketPath == "/tmp/.s.PGSQL.5433")
        #expect(config.applicationName == "tool")
        #expect(config.requireAuth == [.none, .scramSHA256, .gss, .sspi])
        #expect(config.sslRootCert == .system)
    }
}

@Suite("URI and key=value equivalence")
struct ConfigEquivalenceTests {
    static let pairs: [(String, String)] = [
        (
            "postgresql://app:pw@localhost:5433/ledger?application_name=api",
            "host=localhost port=5433 dbname=ledger user=app password=pw application_name=api"
        ),
        ("postgres://%2Fvar%2Frun%2Fpostgresql/ledger", "host=/var/run/postgresql dbname=ledger"),
        (
            "postgresql://[::1]:5432,db2:5433/x?target_session_attrs=read-write&sslmode=require",
            "host=::1,db2 port=5432,5433 dbname=x target_session_attrs=read-write sslmode=require"
        ),
        ("postgresql:///ledger?host=/tmp&port=5433", "host=/tmp port=5433 dbname=ledger"),
        (
            "postgresql://u@h?options=-c%20search_path%3Dledger",
            "user=u host=h options='-c search_path=ledger'"
        ),
        ("postgresql://h?ssl=true", "host=h sslmode=require"),
        ("postgresql://", ""),
        ("postgres://u:it%27s%20%5C@h", #"user=u host=h password='it\'s \\'"#),
        (
            "postgresql://h1,h2?hostaddr=10.0.0.1,10.0.0.2&load_balance_hosts=random",
            "host=h1,h2 hostaddr=10.0.0.1,10.0.0.2 load_balance_hosts=random"
        ),
        (
            "postgresql://h?require_auth=%21password,%21md5&channel_binding=require&connect_timeout=10",
            "host=h require_auth=!password,!md5 channel_binding=require connect_timeout=10"
        ),
    ]

    @Test(arguments: pairs)
    func sameMeaningSameConfig(_ uri: String, _ keywordValue: String) throws {
        #expect(try parse(uri) == parse(keywordValue))
    }

    @Test func differentMeaningDifferentConfig() throws {
        #expect(try parse("postgresql://h/a") != parse("host=h dbname=b"))
    }
}
