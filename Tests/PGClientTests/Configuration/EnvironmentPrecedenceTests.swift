import Testing

@testable import PGClient

@Suite("Environment precedence")
struct ConfigEnvironmentPrecedenceTests {
    /// An option, its environment variable, a value for each source, and how to read it back.
    struct Case: Sendable, CustomStringConvertible {
        var keyword: String
        var variable: String
        var stringValue: String
        var environmentValue: String
        var defaultValue: String
        var read: @Sendable (PGConfig) -> String
        var description: String { keyword }
    }

    static let cases: [Case] = [
        Case(
            keyword: "host", variable: "PGHOST", stringValue: "from-string",
            environmentValue: "from-env",
            defaultValue: "/var/run/postgresql"
        ) { $0.hosts[0].host },
        Case(
            keyword: "hostaddr", variable: "PGHOSTADDR", stringValue: "10.0.0.1",
            environmentValue: "10.0.0.2",
            defaultValue: "none"
        ) { $0.hosts[0].hostaddr ?? "none" },
        Case(
            keyword: "port", variable: "PGPORT", stringValue: "6001", environmentValue: "6002",
            defaultValue: "5432"
        ) { String($0.hosts[0].port) },
        Case(
            keyword: "dbname", variable: "PGDATABASE", stringValue: "sdb", environmentValue: "edb",
            defaultValue: "alice"
        ) { $0.database },
        Case(
            keyword: "user", variable: "PGUSER", stringValue: "suser", environmentValue: "euser",
            defaultValue: "alice"
        ) { $0.user },
        Case(
            keyword: "password", variable: "PGPASSWORD", stringValue: "spw",
            environmentValue: "epw",
            defaultValue: "none"
        ) { $0.password ?? "none" },
        Case(
            keyword: "sslmode", variable: "PGSSLMODE", stringValue: "verify-full",
            environmentValue: "disable",
            defaultValue: "prefer"
        ) { $0.sslMode.rawValue },
        Case(
            keyword: "sslrootcert", variable: "PGSSLROOTCERT", stringValue: "s.pem",
            environmentValue: "e.pem",
            defaultValue: "none"
        ) { rootCertPath($0.sslRootCert) },
        Case(
            keyword: "sslcert", variable: "PGSSLCERT", stringValue: "s.crt",
            environmentValue: "e.crt",
            defaultValue: "none"
        ) { $0.sslCert ?? "none" },
        Case(
            keyword: "sslkey", variable: "PGSSLKEY", stringValue: "s.key",
            environmentValue: "e.key",
            defaultValue: "none"
        ) { $0.sslKey ?? "none" },
        Case(
            keyword: "sslsni", variable: "PGSSLSNI", stringValue: "0", environmentValue: "1",
            defaultValue: "1"
        ) { $0.sslSNI ? "1" : "0" },
        Case(
            keyword: "channel_binding", variable: "PGCHANNELBINDING", stringValue: "require",
            environmentValue: "disable",
            defaultValue: "prefer"
        ) { "\($0.channelBinding)" },
        Case(
            keyword: "require_auth", variable: "PGREQUIREAUTH", stringValue: "md5",
            environmentValue: "password",
            defaultValue: "all"
        ) { $0.requireAuth?.map(\.rawValue).sorted().joined(separator: ",") ?? "all" },
        Case(
            keyword: "connect_timeout", variable: "PGCONNECT_TIMEOUT", stringValue: "7",
            environmentValue: "9",
            defaultValue: "none"
        ) { $0.connectTimeout.map { "\($0.components.seconds)" } ?? "none" },
        Case(
            keyword: "application_name", variable: "PGAPPNAME", stringValue: "sapp",
            environmentValue: "eapp",
            defaultValue: "none"
        ) { $0.applicationName ?? "none" },
        Case(
            keyword: "options", variable: "PGOPTIONS", stringValue: "-cx=1",
            environmentValue: "-cx=2",
            defaultValue: "none"
        ) { $0.options ?? "none" },
        Case(
            keyword: "client_encoding", variable: "PGCLIENTENCODING", stringValue: "UTF8",
            environmentValue: "LATIN1",
            defaultValue: "none"
        ) { $0.clientEncoding ?? "none" },
        Case(
            keyword: "target_session_attrs", variable: "PGTARGETSESSIONATTRS",
            stringValue: "primary", environmentValue: "standby",
            defaultValue: "any"
        ) { $0.targetSessionAttributes.rawValue },
        Case(
            keyword: "load_balance_hosts", variable: "PGLOADBALANCEHOSTS", stringValue: "random",
            environmentValue: "disable",
            defaultValue: "disable"
        ) { $0.loadBalanceHosts.rawValue },
    ]

    @Test(arguments: cases)
    func stringBeatsEnvironmentBeatsDefault(_ test: Case) throws {
        let environment = [test.variable: test.environmentValue]
        let fromString = try parse(
            "\(test.keyword)='\(test.stringValue)'", environment: environment)
        #expect(test.read(fromString) == test.stringValue)
        let fromURI = try parse(
            "postgresql://?\(test.keyword)=\(test.stringValue.replacing("=", with: "%3D"))",
            environment: environment)
        #expect(test.read(fromURI) == test.stringValue)
        let fromEnvironment = try parse("", environment: environment)
        #expect(test.read(fromEnvironment) == test.environmentValue)
        let fromDefault = try parse("")
        #expect(test.read(fromDefault) == test.defaultValue)
    }

    @Test(arguments: cases)
    func overrideBeatsString(_ test: Case) throws {
        let config = try parse(
            "\(test.keyword)='\(test.environmentValue)'",
            environment: [test.variable: test.environmentValue],
            overrides: [test.keyword: test.stringValue])
        #expect(test.read(config) == test.stringValue)
    }

    @Test func emptyValueInStringHidesEnvironmentAndMeansDefault() throws {
        let config = try parse(
            "host='' port=''", environment: ["PGHOST": "envhost", "PGPORT": "6000"])
        #expect(config.hosts == [PGConfig.Host(host: "/var/run/postgresql", port: 5432)])
    }

    @Test func emptyOverrideIsIgnored() throws {
        let config = try parse("host=h", overrides: ["host": "", "port": "7777"])
        #expect(config.hosts == [PGConfig.Host(host: "h", port: 7777)])
    }

    @Test func databaseDefaultsToTheResolvedUser() throws {
        #expect(try parse("", environment: ["PGUSER": "bob"]).database == "bob")
        #expect(try parse("user=carol").database == "carol")
    }

    @Test func applicationNameFromEnvironmentBeatsFallback() throws {
        let config = try parse(
            "fallback_application_name=tool", environment: ["PGAPPNAME": "env-app"])
        #expect(config.applicationName == "env-app")
        #expect(try parse("fallback_application_name=tool").applicationName == "tool")
    }

    @Test func systemRootCertificatesDefaultToVerifyFull() throws {
        #expect(try parse("sslrootcert=system").sslMode == .verifyFull)
        #expect(try parse("", environment: ["PGSSLROOTCERT": "system"]).sslMode == .verifyFull)
        #expect(parseError("sslrootcert=system sslmode=disable")?.key == "sslmode")
        #expect(try parse("sslrootcert=system sslmode=verify-full").sslMode == .verifyFull)
    }

    @Test func connectTimeoutRoundsOneUpToTwoAndZeroIsNone() throws {
        #expect(try parse("connect_timeout=1").connectTimeout == .seconds(2))
        #expect(try parse("connect_timeout=0").connectTimeout == nil)
        #expect(try parse("connect_timeout=' 15 '").connectTimeout == .seconds(15))
    }

    @Test func environmentErrorNamesTheVariable() {
        let error = parseError("", environment: ["PGPORT": "abc"])
        #expect(error?.key == "port")
        #expect(error?.source == .environmentVariable("PGPORT"))
        #expect(error?.description.contains("PGPORT") == true)
    }

    @Test func unknownOverrideIsAnError() {
        let error = parseError("", overrides: ["hots": "x"])
        #expect(error == PGConfigError(key: "hots", reason: .unknownKey, source: .override))
    }

    @Test func missingOperatingSystemUserIsAnError() {
        let context = isolatedContext(userName: "")
        #expect(throws: PGConfigError.self) { try PGConfig(connectionString: "", context: context) }
        #expect(throws: Never.self) { try PGConfig(connectionString: "user=x", context: context) }
    }

    @Test func publicEntryPointsTakeTheInjectedEnvironment() throws {
        let config = try PGConfig(
            "dbname=ledger", environment: ["PGHOST": "envhost", "PGUSER": "envuser"],
            homeDirectory: "/nonexistent/pgwire-swift-tests")
        #expect(config.hosts.map(\.host) == ["envhost"])
        #expect(config.user == "envuser")
        let overridden = try PGConfig(
            connectionString: "postgresql://h/db", overrides: ["port": "6543"], environment: [:],
            homeDirectory: "/nonexistent/pgwire-swift-tests")
        #expect(overridden.hosts == [PGConfig.Host(host: "h", port: 6543)])
    }
}

private func rootCertPath(_ rootCert: PGConfig.SSLRootCert?) -> String {
    switch rootCert {
    case .file(let path): path
    case .system: "system"
    case nil: "none"
    }
}

@Suite("Overrides")
struct ConfigOverrideTests {
    @Test func databaseOverrideThatIsAConnectionStringIsExpanded() throws {
        let config = try parse(
            "host=from-string dbname=s",
            overrides: ["dbname": "postgresql://u@uri-host:6000/uri-db", "port": "7000"])
        #expect(config.hosts == [PGConfig.Host(host: "uri-host", port: 7000)])
        #expect(config.database == "uri-db")
        #expect(config.user == "u")
        let keywordValue = try parse("", overrides: ["dbname": "host=kv dbname=kvdb"])
        #expect(keywordValue.hosts.map(\.host) == ["kv"])
        #expect(keywordValue.database == "kvdb")
        #expect(try parse("", overrides: ["dbname": "plain"]).database == "plain")
    }
}
