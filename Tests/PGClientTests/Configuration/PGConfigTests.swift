import PGWire
import Testing

@testable import PGClient

@Suite("PGConfig")
struct ConfigDescriptionAndSettingsTests {
    static let secret = "s3cr3t-PW"

    @Test func descriptionsMaskThePasswords() throws {
        let config = try parse(
            "postgresql://app:\(Self.secret)@db/ledger?sslpassword=\(Self.secret)x&application_name=api"
        )
        #expect(config.password == Self.secret)
        for text in [
            config.description, config.debugDescription, String(describing: config),
            String(reflecting: config),
        ] {
            #expect(!text.contains(Self.secret))
            #expect(text.contains("********"))
            #expect(text.contains("db:5432"))
            #expect(text.contains("ledger"))
        }
        var dumped = ""
        dump(config, to: &dumped)
        #expect(!dumped.contains(Self.secret))
        let settings = config.connectionSettings(for: config.hosts[0])
        #expect(!settings.description.contains(Self.secret))
    }

    @Test func descriptionOfPasswordFromFileDoesNotShowIt() throws {
        try withTemporaryDirectory { home in
            try writeFile(home + "/.pgpass", "*:*:*:*:\(Self.secret)\n", permissions: 0o600)
            let config = try parse("host=h", homeDirectory: home)
            #expect(config.password(for: config.hosts[0]) == Self.secret)
            #expect(!config.description.contains(Self.secret))
            var dumped = ""
            dump(config, to: &dumped)
            #expect(!dumped.contains(Self.secret))
        }
    }

    @Test(arguments: [
        (PGConfig.SSLMode.disable, ConnectionSettings.TLSPolicy.disable),
        (.allow, .prefer), (.prefer, .prefer), (.require, .require), (.verifyCA, .require),
        (.verifyFull, .require),
    ])
    func tlsPolicyFollowsSSLMode(_ mode: PGConfig.SSLMode, _ policy: ConnectionSettings.TLSPolicy)
        throws
    {
        let config = try parse("host=h sslmode=\(mode.rawValue)")
        #expect(config.connectionSettings(for: config.hosts[0]).tls == policy)
    }

    @Test func connectionSettingsCarryEverything() throws {
        let config = try parse(
            "host=h user=app dbname=ledger password=pw application_name=api options='-c search_path=ledger' "
                + "client_encoding=auto channel_binding=require require_auth=scram-sha-256")
        let settings = config.connectionSettings(for: config.hosts[0])
        #expect(settings.user == "app")
        #expect(settings.database == "ledger")
        #expect(settings.password == "pw")
        #expect(
            settings.parameters == [
                .init("application_name", "api"), .init("options", "-c search_path=ledger"),
                .init("client_encoding", "UTF8"),
            ])
        #expect(settings.tls == .prefer)
        #expect(settings.channelBinding == .require)
        #expect(settings.allowedAuthenticationMethods == [.scramSHA256])
    }

    @Test func defaultsWhenNothingIsGiven() throws {
        let config = try parse("")
        #expect(config.hosts == [PGConfig.Host(host: "/var/run/postgresql", port: 5432)])
        #expect(config.hosts[0].unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432")
        #expect(config.user == "alice")
        #expect(config.database == "alice")
        #expect(config.password == nil)
        #expect(config.sslMode == .prefer)
        #expect(config.sslSNI)
        #expect(config.channelBinding == .prefer)
        #expect(config.requireAuth == nil)
        #expect(config.connectTimeout == nil)
        #expect(config.targetSessionAttributes == .any)
        #expect(config.loadBalanceHosts == .disable)
        #expect(config.keepalives == PGConfig.Keepalives())
        let settings = config.connectionSettings(for: config.hosts[0])
        #expect(settings.parameters.isEmpty)
    }

    @Test func currentContextReadsTheGivenEnvironment() {
        let context = PGConfig.Context.current(
            environment: ["HOME": "/somewhere"], homeDirectory: nil)
        #expect(context.homeDirectory == "/somewhere")
        #expect(context.environment == ["HOME": "/somewhere"])
        #expect(["/var/run/postgresql", "localhost"].contains(context.defaultHost))
        #expect(
            PGConfig.Context.current(environment: [:], homeDirectory: "/given").homeDirectory
                == "/given")
    }
}
