@testable import PGClient
import PGLocalCluster
import Testing

/// Every `sslmode` against a server that speaks TLS, the certificate checks of the verifying
/// modes, and the `hostssl` / `hostnossl` rules that make a mode matter.
@Suite("TLS modes")
struct TLSModeTests {
    @Test(arguments: [
        (PGLocalCluster.SSLMode.disable, false),
        (.allow, false),  // plain text first, and the server takes it
        (.prefer, true),
        (.require, true),
        (.verifyCA, true),
        (.verifyFull, true),
    ])
    func everyModeConnects(mode: PGLocalCluster.SSLMode, expectsTLS: Bool) async throws {
        let cluster = try await SharedCluster.instance.cluster
        let connection = try await cluster.connect(as: TestRoles.scram, sslmode: mode)
        #expect(connection.usesTLS == expectsTLS)
        let serverSaysTLS = try await connection.scalar(
            "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        #expect(serverSaysTLS == String(expectsTLS))
        #expect(connection.isChannelBound == expectsTLS)
        await connection.close()
    }

    @Test func verifyFullAcceptsTheCertificatesDNSName() async throws {
        let shared = try await SharedCluster.instance
        let cluster = shared.cluster
        let config = try namedHostConfig(cluster, host: "localhost", sslmode: "verify-full")
        let connection = try await PGConnection.connect(config: config)
        #expect(connection.usesTLS)
        await connection.close()
    }

    /// The certificate also carries IP 127.0.0.1, the socket's address; a host given by name
    /// must still be among its DNS names (libpq's rule), or a certificate for an address could
    /// stand in for any name.
    @Test func verifyFullRefusesAHostNameTheCertificateDoesNotCarry() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let config = try namedHostConfig(cluster, host: "wronghost.example", sslmode: "verify-full")
        let error = try #require(await connectionError(config))
        #expect(error.kind == .tls, "\(error)")
        #expect(error.message.contains("wronghost.example"), "\(error)")
    }

    @Test(arguments: [
        (["localhost"], "localhost", true), (["LocalHost"], "localhost", true),
        (["*.example.com"], "db.example.com", true), (["*.example.com"], "a.db.example.com", false),
        (["*.example.com"], "example.com", false), (["*.com"], "example.com", false),
        (["db.example.com"], "db.example.org", false), ([], "localhost", false),
    ])
    func hostNamesMatchAsLibpqMatchesThem(names: [String], host: String, matches: Bool) {
        #expect(PGTLSSetup.certificate(dnsNames: names, matches: host) == matches)
    }

    @Test func verifyCAIgnoresTheHostName() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let config = try namedHostConfig(cluster, host: "wronghost.example", sslmode: "verify-ca")
        let connection = try await PGConnection.connect(config: config)
        #expect(connection.usesTLS)
        await connection.close()
    }

    @Test(arguments: ["verify-ca", "verify-full", "require"])
    func anUnknownCAIsRefused(mode: String) async throws {
        let shared = try await SharedCluster.instance
        // require with a root certificate checks the chain, as libpq does.
        let config = try shared.cluster.clientConfig(
            as: TestRoles.scram, sslmode: .disable,
            overrides: ["sslmode": mode, "sslrootcert": shared.foreignCACertificatePath])
        let error = try #require(await connectionError(config))
        #expect(error.kind == .tls, "\(error)")
    }

    @Test func preferDoesNotCheckTheCertificate() async throws {
        let shared = try await SharedCluster.instance
        // As in libpq, prefer encrypts but checks nothing, even with a root certificate given.
        let config = try shared.cluster.clientConfig(
            as: TestRoles.scram, sslmode: .prefer, overrides: ["sslrootcert": shared.foreignCACertificatePath])
        let connection = try await PGConnection.connect(config: config)
        #expect(connection.usesTLS)
        await connection.close()
    }

    @Test func preferFallsBackToPlainTextWhenTheHandshakeFails() async throws {
        // The server speaks at most TLS 1.1, which the client refuses: the handshake fails.
        var options = PGLocalCluster.Options()
        options.settings = ["ssl_min_protocol_version": "TLSv1", "ssl_max_protocol_version": "TLSv1.1"]
        try await withLocalCluster(options: options) { cluster in
            let connection = try await cluster.connect(sslmode: .prefer)
            #expect(!connection.usesTLS)
            #expect(try await connection.scalar("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "false")
            await connection.close()
            let error = try #require(await connectionError(cluster.clientConfig(sslmode: .require)))
            #expect(error.kind == .tls)
            #expect(!error.requestWasSent)
        }
    }

    @Test func preferConnectsInPlainTextToAServerWithoutTLS() async throws {
        var options = PGLocalCluster.Options()
        options.isTLSEnabled = false
        try await withLocalCluster(options: options) { cluster in
            let connection = try await cluster.connect(sslmode: .prefer)
            #expect(!connection.usesTLS)
            #expect(try await connection.scalar("SELECT 1") == "1")
            await connection.close()
            let error = try #require(await connectionError(cluster.clientConfig(sslmode: .require)))
            #expect(error.kind == .tls)
        }
    }

    @Test func tlsOnlyRoleIsRejectedWithoutTLS() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let error = try #require(await connectionError(cluster.clientConfig(as: TestRoles.tlsOnly, sslmode: .disable)))
        #expect(error.kind == .server)
        #expect(error.sqlState == .invalidAuthorizationSpecification)
        let connection = try await cluster.connect(as: TestRoles.tlsOnly, sslmode: .require)
        #expect(connection.usesTLS)
        await connection.close()
    }

    @Test func tlsOnlyRoleWithAllowRetriesWithTLS() async throws {
        let cluster = try await SharedCluster.instance.cluster
        // allow: plain text is refused by pg_hba.conf, so the client tries again with TLS.
        let connection = try await cluster.connect(as: TestRoles.tlsOnly, sslmode: .allow)
        #expect(connection.usesTLS)
        await connection.close()
    }

    @Test func plainOnlyRoleIsRejectedOverTLS() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let error = try #require(await connectionError(cluster.clientConfig(as: TestRoles.plainOnly, sslmode: .require)))
        #expect(error.kind == .server)
        #expect(error.sqlState == .invalidAuthorizationSpecification)
        let connection = try await cluster.connect(as: TestRoles.plainOnly, sslmode: .disable)
        #expect(!connection.usesTLS)
        await connection.close()
    }

    @Test func plainOnlyRoleWithPreferFallsBackToPlainText() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let config = try cluster.clientConfig(as: TestRoles.plainOnly, sslmode: .prefer)
        // libpq retries without TLS when a prefer session is refused after the handshake.
        let result: Result<PGConnection, PGError>
        do { result = .success(try await PGConnection.connect(config: config)) } catch { result = .failure(error) }
        switch result {
        case .success(let connection):
            #expect(!connection.usesTLS)
            await connection.close()
        case .failure(let error):
            Issue.record("prefer did not fall back to plain text after pg_hba.conf refused TLS: \(error)")
        }
    }

    /// The scram role connecting to 127.0.0.1 under another host name, with the cluster's CA.
    private func namedHostConfig(_ cluster: PGLocalCluster, host: String, sslmode: String) throws -> PGConfig {
        try PGConfig.isolated(
            "host=\(host) hostaddr=127.0.0.1 port=\(cluster.port) dbname=postgres sslmode=\(sslmode)",
            overrides: [
                "user": TestRoles.scram.name, "password": TestRoles.scram.password ?? "",
                "sslrootcert": cluster.caCertificatePath ?? "",
            ])
    }
}
