import Testing

@testable import PGClient

@Suite("ConnectionURIParser")
struct ConfigURIParserTests {
    struct Case: Sendable, CustomStringConvertible {
        var uri: String
        var hosts: [String]
        var database: String = "alice"
        var user: String = "alice"
        var password: String?
        var description: String { uri }
    }

    /// Most cases come from libpq's own URI tests (src/interfaces/libpq/t/001_uri.pl); the
    /// default user is "alice" and the default host the Debian socket directory.
    static let cases: [Case] = [
        Case(
            uri: "postgresql://uri-user:secret@host:12345/db", hosts: ["host:12345"],
            database: "db", user: "uri-user", password: "secret"),
        Case(
            uri: "postgresql://uri-user@host:12345/db", hosts: ["host:12345"], database: "db",
            user: "uri-user"),
        Case(
            uri: "postgresql://uri-user@host/db", hosts: ["host:5432"], database: "db",
            user: "uri-user"),
        Case(uri: "postgresql://host:12345/db", hosts: ["host:12345"], database: "db"),
        Case(
            uri: "postgresql://uri-user@host/", hosts: ["host:5432"], database: "uri-user",
            user: "uri-user"),
        Case(
            uri: "postgresql://uri-user@", hosts: ["/var/run/postgresql/.s.PGSQL.5432"],
            database: "uri-user", user: "uri-user"),
        Case(uri: "postgresql://host:12345", hosts: ["host:12345"]),
        Case(uri: "postgresql://host", hosts: ["host:5432"]),
        Case(uri: "postgresql://", hosts: ["/var/run/postgresql/.s.PGSQL.5432"]),
        Case(uri: "postgres://", hosts: ["/var/run/postgresql/.s.PGSQL.5432"]),
        Case(uri: "postgres:///", hosts: ["/var/run/postgresql/.s.PGSQL.5432"]),
        Case(uri: "postgres:///db", hosts: ["/var/run/postgresql/.s.PGSQL.5432"], database: "db"),
        Case(
            uri: "postgres://uri-user@/db", hosts: ["/var/run/postgresql/.s.PGSQL.5432"],
            database: "db", user: "uri-user"),
        Case(uri: "postgresql://?hostaddr=127.0.0.1", hosts: ["127.0.0.1:5432"]),
        Case(
            uri: "postgresql://example.com?hostaddr=63.1.2.4",
            hosts: ["example.com:5432 (63.1.2.4)"]),
        Case(uri: "postgresql://%68ost/", hosts: ["host:5432"]),
        Case(
            uri: "postgresql://host/db?user=uri-user&port=12345", hosts: ["host:12345"],
            database: "db", user: "uri-user"),
        Case(
            uri: "postgresql://host/db?u%73er=someotheruser&port=12345", hosts: ["host:12345"],
            database: "db", user: "someotheruser"),
        Case(uri: "postgresql://host?", hosts: ["host:5432"]),
        Case(uri: "postgresql://[::1]:12345/db", hosts: ["[::1]:12345"], database: "db"),
        Case(uri: "postgresql://[::1]/db", hosts: ["[::1]:5432"], database: "db"),
        Case(uri: "postgresql://[2001:db8::1234]/", hosts: ["[2001:db8::1234]:5432"]),
        Case(uri: "postgresql://[::1]", hosts: ["[::1]:5432"]),
        Case(
            uri: "postgres://?host=/path/to/socket/dir",
            hosts: ["/path/to/socket/dir/.s.PGSQL.5432"]),
        Case(uri: "postgres://@host", hosts: ["host:5432"]),
        Case(uri: "postgres://host:/", hosts: ["host:5432"]),
        Case(uri: "postgres://:12345/", hosts: ["/var/run/postgresql/.s.PGSQL.12345"]),
        Case(
            uri: "postgres://otheruser@?host=/no/such/directory",
            hosts: ["/no/such/directory/.s.PGSQL.5432"], database: "otheruser", user: "otheruser"),
        Case(
            uri: "postgres://otheruser@:12345/db?host=/path/to/socket",
            hosts: ["/path/to/socket/.s.PGSQL.12345"], database: "db", user: "otheruser"),
        Case(
            uri: "postgres://%2Fvar%2Flib%2Fpostgresql/dbname",
            hosts: ["/var/lib/postgresql/.s.PGSQL.5432"], database: "dbname"),
        Case(uri: "postgresql://%40abstract:5433", hosts: ["@abstract/.s.PGSQL.5433"]),
        // Several hosts, each with its own port or the default.
        Case(
            uri: "postgresql://host1:5432,host2:5433/db", hosts: ["host1:5432", "host2:5433"],
            database: "db"),
        Case(
            uri: "postgresql://host1,host2:5433,host3/db",
            hosts: ["host1:5432", "host2:5433", "host3:5432"], database: "db"),
        Case(
            uri: "postgresql://[::1]:6000,[fe80::1],db.example.com:6001",
            hosts: ["[::1]:6000", "[fe80::1]:5432", "db.example.com:6001"]),
        Case(
            uri: "postgresql://h1,h2/db?port=7000", hosts: ["h1:7000", "h2:7000"], database: "db"),
        // Percent-encoding in every component.
        Case(
            uri: "postgresql://us%65r:p%40ss%3Aw%2Frd%25@host/d%62%20name", hosts: ["host:5432"],
            database: "db name", user: "user", password: "p@ss:w/rd%"),
        Case(
            uri: "postgresql://:only-password@host", hosts: ["host:5432"], password: "only-password"
        ),
        Case(uri: "postgresql://h%C3%B6st/caf%C3%A9", hosts: ["höst:5432"], database: "café"),
        // Query parameters override the parts before them, as in libpq.
        Case(
            uri: "postgresql://host/db?dbname=other&host=elsewhere", hosts: ["elsewhere:5432"],
            database: "other"),
    ]

    @Test(arguments: cases)
    func parsesURI(_ expected: Case) throws {
        let config = try parse(expected.uri)
        #expect(config.hosts.map(\.description) == expected.hosts)
        #expect(config.database == expected.database)
        #expect(config.user == expected.user)
        #expect(config.password == expected.password)
    }

    @Test func queryParametersSetTypedFields() throws {
        let config = try parse(
            "postgresql://h/db?sslmode=require&application_name=x&connect_timeout=10&options=-c%20search_path%3Dledger"
                + "&target_session_attrs=read-write&load_balance_hosts=random&channel_binding=require"
                + "&require_auth=scram-sha-256&sslrootcert=%2Fetc%2Fca.pem&sslcert=c.pem&sslkey=k.pem&sslsni=0"
                + "&client_encoding=UTF8&keepalives=0&keepalives_idle=30&keepalives_interval=5&keepalives_count=3"
        )
        #expect(config.sslMode == .require)
        #expect(config.applicationName == "x")
        #expect(config.connectTimeout == .seconds(10))
        #expect(config.options == "-c search_path=ledger")
        #expect(config.targetSessionAttributes == .readWrite)
        #expect(config.loadBalanceHosts == .random)
        #expect(config.channelBinding == .require)
        #expect(config.requireAuth == [.scramSHA256])
        #expect(config.sslRootCert == .file("/etc/ca.pem"))
        #expect(config.sslCert == "c.pem")
        #expect(config.sslKey == "k.pem")
        #expect(config.sslSNI == false)
        #expect(config.clientEncoding == "UTF8")
        #expect(
            config.keepalives
                == PGConfig.Keepalives(
                    isEnabled: false, idle: .seconds(30), interval: .seconds(5), count: 3))
    }

    @Test func sslTrueMeansRequire() throws {
        #expect(try parse("postgresql://host?ssl=true").sslMode == .require)
    }

    @Test func hostaddrListMatchesHosts() throws {
        let config = try parse("postgresql://a,b?hostaddr=10.0.0.1,::1")
        #expect(
            config.hosts == [
                PGConfig.Host(host: "a", port: 5432, hostaddr: "10.0.0.1"),
                PGConfig.Host(host: "b", port: 5432, hostaddr: "::1"),
            ])
        #expect(config.hosts.allSatisfy { !$0.isUnixSocket })
    }

    @Test func unixSocketHosts() throws {
        let config = try parse("postgresql://%2Ftmp%2F:5433,db")
        #expect(config.hosts[0].isUnixSocket)
        #expect(config.hosts[0].unixSocketPath == "/tmp/.s.PGSQL.5433")
        #expect(!config.hosts[1].isUnixSocket)
        #expect(config.hosts[1].unixSocketPath == nil)
    }
}
