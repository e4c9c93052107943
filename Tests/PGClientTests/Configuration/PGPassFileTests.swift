import Foundation
import Testing

@testable import PGClient

@Suite("PGPassFile")
struct ConfigPGPassFileTests {
    static let text = #"""
        # hostname:port:database:username:password
        db1.example.com:5432:ledger:app:first-match
        db1.example.com:5432:ledger:app:second-match
        db2.example.com:*:*:app:db2 pass
        *:6000:*:*:any-host-6000
        we\:ird\\host:5432:*:*:escaped-host
        localhost:5432:*:*:local
        /tmp:5432:*:*:tmp-socket
        \*:5432:literal-star:*:star-is-literal
        short:line
        10.0.0.9:5432:*:*:pass\:with\\escapes:and-trailing-field
        *:*:*:app:
        """#

    @Test(
        arguments: [
            ("db1.example.com", 5432, "ledger", "app", "first-match"),
            ("db2.example.com", 7777, "anything", "app", "db2 pass"),
            ("db2.example.com", 7777, "anything", "other", nil),
            ("elsewhere", 6000, "x", "y", "any-host-6000"),
            (#"we:ird\host"#, 5432, "x", "y", "escaped-host"),
            ("localhost", 5432, "x", "y", "local"),
            ("/tmp", 5432, "x", "y", "tmp-socket"),
            ("*", 5432, "literal-star", "y", "star-is-literal"),
            ("other", 5432, "literal-star", "y", nil),
            ("10.0.0.9", 5432, "x", "y", #"pass:with\escapes"#),
            ("nomatch", 5432, "x", "app", ""),
        ] as [(String, Int, String, String, String?)])
    func matches(host: String, port: Int, database: String, user: String, expected: String?) {
        let file = PGPassFile(parsing: Self.text)
        #expect(file.password(host: host, port: port, database: database, user: user) == expected)
    }

    @Test func skipsCommentsAndShortLinesAndHandlesCRLF() {
        let file = PGPassFile(parsing: "# c:o:m:m:ent\r\nshort:line\r\nh:1:d:u:pw\r\n")
        #expect(file.entries.count == 1)
        #expect(file.password(host: "h", port: 1, database: "d", user: "u") == "pw")
        #expect(!String(describing: file).contains("pw"))
    }

    @Test func usedPerHostWhenNoPasswordGiven() throws {
        try withTemporaryDirectory { home in
            try writeFile(
                home + "/.pgpass", "h1:5432:db:app:pw-one\nh2:5433:db:app:pw-two\n",
                permissions: 0o600)
            let config = try parse("postgresql://app@h1,h2:5433,h3/db", homeDirectory: home)
            #expect(config.password == nil)
            #expect(config.passfile == home + "/.pgpass")
            #expect(config.warnings.isEmpty)
            #expect(config.hosts.map { config.password(for: $0) } == ["pw-one", "pw-two", nil])
            #expect(config.connectionSettings(for: config.hosts[1]).password == "pw-two")
        }
    }

    @Test func givenPasswordWins() throws {
        try withTemporaryDirectory { home in
            try writeFile(home + "/.pgpass", "*:*:*:*:from-file\n", permissions: 0o600)
            let config = try parse("host=h password=given", homeDirectory: home)
            #expect(config.password(for: config.hosts[0]) == "given")
            let fromEnvironment = try parse(
                "host=h", environment: ["PGPASSWORD": "env"], homeDirectory: home)
            #expect(fromEnvironment.password(for: fromEnvironment.hosts[0]) == "env")
            let fromFile = try parse("host=h password=''", homeDirectory: home)
            #expect(fromFile.password(for: fromFile.hosts[0]) == "from-file")
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o610])
    func ignoredWithAWarningWhenGroupOrOthersHaveAccess(permissions: Int) throws {
        try withTemporaryDirectory { home in
            try writeFile(home + "/.pgpass", "*:*:*:*:from-file\n", permissions: permissions)
            let config = try parse("host=h", homeDirectory: home)
            #expect(config.password(for: config.hosts[0]) == nil)
            #expect(config.warnings.count == 1)
            #expect(config.warnings.first?.contains("group or world access") == true)
            #expect(config.warnings.first?.contains("from-file") == false)
        }
    }

    @Test(arguments: [0o600, 0o400])
    func usedWhenOnlyTheOwnerHasAccess(permissions: Int) throws {
        try withTemporaryDirectory { home in
            try writeFile(home + "/.pgpass", "*:*:*:*:from-file\n", permissions: permissions)
            let config = try parse("host=h", homeDirectory: home)
            #expect(config.password(for: config.hosts[0]) == "from-file")
            #expect(config.warnings.isEmpty)
        }
    }

    @Test func directoryIsNotAPlainFile() throws {
        try withTemporaryDirectory { home in
            try FileManager.default.createDirectory(
                atPath: home + "/.pgpass", withIntermediateDirectories: false)
            let config = try parse("host=h", homeDirectory: home)
            #expect(config.warnings.first?.contains("not a plain file") == true)
        }
    }

    @Test func missingFileIsSilent() throws {
        try withTemporaryDirectory { home in
            let config = try parse("host=h", homeDirectory: home)
            #expect(config.warnings.isEmpty)
            #expect(config.password(for: config.hosts[0]) == nil)
        }
    }

    @Test func passfileOptionAndEnvironmentVariable() throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/a", "*:*:*:*:from-a\n", permissions: 0o600)
            try writeFile(directory + "/b", "*:*:*:*:from-b\n", permissions: 0o600)
            let byOption = try parse(
                "host=h passfile=\(directory)/a", environment: ["PGPASSFILE": directory + "/b"])
            #expect(byOption.password(for: byOption.hosts[0]) == "from-a")
            let byEnvironment = try parse("host=h", environment: ["PGPASSFILE": directory + "/b"])
            #expect(byEnvironment.password(for: byEnvironment.hosts[0]) == "from-b")
        }
    }

    @Test func defaultSocketDirectoryMatchesLocalhost() throws {
        try withTemporaryDirectory { home in
            try writeFile(
                home + "/.pgpass",
                "localhost:5432:*:*:local\n/srv/sock:5432:*:*:srv\n10.1.1.1:5432:*:*:by-address\n",
                permissions: 0o600)
            let config = try parse(
                "postgresql://%2Fvar%2Frun%2Fpostgresql,,%2Fsrv%2Fsock,%2Ftmp", homeDirectory: home)
            #expect(
                config.hosts.map { config.password(for: $0) } == ["local", "local", "srv", nil])
            let byAddress = try parse("hostaddr=10.1.1.1", homeDirectory: home)
            #expect(byAddress.password(for: byAddress.hosts[0]) == "by-address")
        }
    }

    @Test func contextMapsItsDefaultSocketHostToLocalhost() {
        let context = isolatedContext(defaultHost: "/custom/sockets")
        #expect(context.pgpassHostName(for: "/custom/sockets") == "localhost")
        #expect(context.pgpassHostName(for: "/var/run/postgresql") == "localhost")
        #expect(context.pgpassHostName(for: "/other") == "/other")
        #expect(context.pgpassHostName(for: "db") == "db")
    }
}
