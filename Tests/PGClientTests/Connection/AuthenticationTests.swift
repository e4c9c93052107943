import PGClient
import PGLocalCluster
import PGWire
import Testing

/// Every authentication method against the real server, the client's `require_auth` and
/// `channel_binding` policies, and the failures a login can meet.
@Suite("Authentication")
struct AuthenticationTests {
    @Test func trustAsksForNothing() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(as: TestRoles.trust, sslmode: .disable)
        #expect(connection.authenticationMethod == ConnectionSettings.AuthenticationMethod.none)
        #expect(try await connection.scalar("SELECT current_user") == TestRoles.trust.name)
        await connection.close()
    }

    @Test func cleartextPassword() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(as: TestRoles.cleartext, sslmode: .disable)
        #expect(connection.authenticationMethod == .password)
        #expect(try await connection.scalar("SELECT current_user") == TestRoles.cleartext.name)
        await connection.close()
    }

    @Test func md5Password() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(as: TestRoles.md5, sslmode: .disable)
        #expect(connection.authenticationMethod == .md5)
        #expect(try await connection.scalar("SELECT current_user") == TestRoles.md5.name)
        await connection.close()
    }

    @Test func scramWithoutTLSIsNotChannelBound() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(as: TestRoles.scram, sslmode: .disable)
        #expect(connection.authenticationMethod == .scramSHA256)
        #expect(!connection.usesTLS)
        #expect(!connection.isChannelBound)
        #expect(connection.tlsVersion == nil)
        await connection.close()
    }

    @Test func scramPlusOverTLSIsChannelBound() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(as: TestRoles.scram, sslmode: .verifyFull)
        #expect(connection.authenticationMethod == .scramSHA256)
        #expect(connection.usesTLS)
        #expect(connection.isChannelBound)
        #expect(connection.tlsVersion == "TLSv1.3")
        #expect(try await connection.scalar("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "true")
        await connection.close()
    }

    @Test func clientCertificate() async throws {
        let shared = try await SharedCluster.instance
        let connection = try await shared.cluster.connect(
            as: TestRoles.cert, sslmode: .verifyFull,
            overrides: ["sslcert": shared.clientCertificate.certificatePath, "sslkey": shared.clientCertificate.keyPath])
        // The certificate is the whole proof: the server asks for no password.
        #expect(connection.authenticationMethod == ConnectionSettings.AuthenticationMethod.none)
        #expect(try await connection.scalar("SELECT current_user") == TestRoles.cert.name)
        #expect(
            try await connection.scalar("SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                == "/CN=\(TestRoles.cert.name)")
        await connection.close()
    }

    @Test func certRuleWithoutACertificateIsRefused() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let error = try #require(await connectionError(cluster.clientConfig(as: TestRoles.cert, sslmode: .verifyFull)))
        #expect(error.kind == .server)
        #expect(error.sqlState == .invalidAuthorizationSpecification)
    }

    @Test func wrongPasswordIsAServerErrorBeforeAnyQuery() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let error = try #require(
            await connectionError(cluster.clientConfig(as: TestRoles.scram, password: "not-the-password")))
        #expect(error.kind == .server)
        #expect(error.sqlState == .invalidPassword)
        #expect(error.severity == "FATAL")
        // Decision: a failed login sent no statement, so running one again elsewhere (or
        // reconnecting with the right password) cannot run anything twice.
        #expect(!error.requestWasSent)
        #expect(error.isSafeToRetry)
        #expect(!error.description.contains("not-the-password"))
    }

    @Test func unknownDatabase() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let error = try #require(
            await connectionError(cluster.clientConfig(as: TestRoles.scram, database: "no_such_database")))
        #expect(error.kind == .server)
        #expect(error.sqlState == .invalidCatalogName)
        #expect(error.message.contains("no_such_database"))
    }

    // MARK: require_auth

    @Test func requireAuthAcceptsTheListedMethod() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(
            as: TestRoles.md5, sslmode: .disable, overrides: ["require_auth": "md5"])
        #expect(connection.authenticationMethod == .md5)
        await connection.close()
    }

    @Test(arguments: [
        (TestRoles.md5, "scram-sha-256"),
        (TestRoles.scram, "md5,password"),
        (TestRoles.cleartext, "!password"),
        (TestRoles.scram, "none"),
        (TestRoles.trust, "!none"),
        (TestRoles.trust, "scram-sha-256"),
    ])
    func requireAuthRefusesOtherMethods(role: TestRoles.Role, requireAuth: String) async throws {
        let cluster = try await SharedCluster.instance.cluster
        let config = try cluster.clientConfig(as: role, sslmode: .disable, overrides: ["require_auth": requireAuth])
        let error = try #require(await connectionError(config))
        #expect(error.kind == .authentication, "\(role.name) with require_auth=\(requireAuth): \(error)")
        #expect(!error.requestWasSent)
    }

    // MARK: channel_binding

    @Test func channelBindingRequiredOverTLSBinds() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(
            as: TestRoles.scram, sslmode: .require, overrides: ["channel_binding": "require"])
        #expect(connection.isChannelBound)
        #expect(connection.usesTLS)
        await connection.close()
    }

    @Test func channelBindingRequiredWithoutTLSFails() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let config = try cluster.clientConfig(
            as: TestRoles.scram, sslmode: .disable, overrides: ["channel_binding": "require"])
        let error = try #require(await connectionError(config))
        #expect(error.kind == .authentication)
    }

    @Test func channelBindingRequiredRefusesMD5EvenOverTLS() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let config = try cluster.clientConfig(
            as: TestRoles.md5, sslmode: .verifyFull, overrides: ["channel_binding": "require"])
        let error = try #require(await connectionError(config))
        #expect(error.kind == .authentication)
    }

    @Test func channelBindingDisabledUsesPlainSCRAMOverTLS() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(
            as: TestRoles.scram, sslmode: .verifyFull, overrides: ["channel_binding": "disable"])
        #expect(connection.usesTLS)
        #expect(!connection.isChannelBound)
        await connection.close()
    }
}
