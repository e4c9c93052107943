import Foundation
import PGLocalCluster
import Testing

/// Each test starts its own cluster (2–4 s); Swift Testing runs them in parallel, which doubles as
/// the "several clusters at once" check.
@Suite("LocalCluster")
struct LocalClusterTests {
    @Test func acceptsTheSuperuserWithSCRAMOverTCP() async throws {
        try await withLocalCluster { cluster in
            let user = try await cluster.psql(
                "SELECT current_user", connectionString: cluster.url(sslmode: .disable))
            #expect(user == cluster.superuser)
            let rules = try await cluster.psql(
                "SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'")
            #expect(rules == "scram-sha-256")
            let encryption = try await cluster.psql("SHOW password_encryption")
            #expect(encryption == "scram-sha-256")

            let wrongPassword = cluster.url(password: "wrong", sslmode: .disable)
            let error = await #expect(throws: PGLocalClusterError.self) {
                try await cluster.psql("SELECT 1", connectionString: wrongPassword)
            }
            #expect("\(String(describing: error))".contains("password authentication failed"))
        }
    }

    @Test func verifiesTheServerCertificateWithTheCA() async throws {
        try await withLocalCluster { cluster in
            let caPath = try #require(cluster.caCertificatePath)
            #expect(cluster.url.contains("sslmode=verify-full"))

            // The URI names the CA itself; the second connection finds it through PGSSLROOTCERT
            // and checks the DNS name in the certificate rather than its IP address.
            let overURI = try await cluster.psql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                connectionString: cluster.url)
            #expect(overURI == "t")
            let byName =
                "host=localhost port=\(cluster.port) user=\(cluster.superuser) dbname=postgres "
                + "sslmode=verify-full"
            let overName = try await cluster.psql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                connectionString: byName,
                environment: ["PGSSLROOTCERT": caPath, "PGPASSWORD": cluster.superuserPassword])
            #expect(overName == "t")
        }
    }

    @Test func runsTwoClustersAtOnceEachWithItsOwnCA() async throws {
        async let first = PGLocalCluster.start()
        async let second = PGLocalCluster.start()
        let (one, other) = try await (first, second)
        #expect(one.port != other.port)
        #expect(one.directory != other.directory)
        let otherCA = try #require(other.caCertificatePath)
        let noRootCertificate =
            "host=127.0.0.1 port=\(one.port) user=\(one.superuser) dbname=postgres sslmode=verify-full"
        let error = await #expect(throws: PGLocalClusterError.self) {
            try await one.psql(
                "SELECT 1", connectionString: noRootCertificate,
                environment: ["PGSSLROOTCERT": otherCA, "PGPASSWORD": one.superuserPassword])
        }
        #expect(String(describing: error).contains("certificate verify failed"))
        #expect(try await other.psql("SELECT 2", connectionString: other.url) == "2")
        try await one.stop()
        try await other.stop()
    }

    @Test func refusesAFixedPortThatIsTaken() async throws {
        try await withLocalCluster { cluster in
            var options = PGLocalCluster.Options()
            options.port = cluster.port
            let error = await #expect(throws: PGLocalClusterError.self) {
                try await PGLocalCluster.start(options: options)
            }
            guard case .serverFailedToStart(_, let logTail) = try #require(error) else {
                Issue.record("unexpected error \(String(describing: error))")
                return
            }
            #expect(logTail.contains("Address already in use"))
            #expect(try await cluster.psql("SELECT 1") == "1")
        }
    }

    @Test func configuresMD5TrustAndCertificateRules() async throws {
        var options = PGLocalCluster.Options()
        options.users = [
            .init(name: "legacy", password: "old 'school' pass", passwordEncryption: .md5),
            .init(name: "trusted"),
            .init(name: "by_certificate"),
        ]
        options.hbaLines = [
            "host all legacy 127.0.0.1/32 md5",
            "host all trusted 127.0.0.1/32 trust",
            "hostssl all by_certificate 127.0.0.1/32 cert",
        ]
        try await withLocalCluster(options: options) { cluster in
            let secret = try await cluster.psql(
                "SELECT left(rolpassword, 3) FROM pg_authid WHERE rolname = 'legacy'")
            #expect(secret == "md5")
            let legacy = try await cluster.psql(
                "SELECT current_user",
                connectionString: cluster.url(
                    user: "legacy", password: "old 'school' pass", sslmode: .disable))
            #expect(legacy == "legacy")
            let trusted = try await cluster.psql(
                "SELECT current_user",
                connectionString: cluster.keywordValueString(user: "trusted", sslmode: .disable))
            #expect(trusted == "trusted")

            let client = try cluster.makeClientCertificate(user: "by_certificate")
            let conninfo =
                cluster.keywordValueString(user: "by_certificate", sslmode: .verifyFull)
                + " sslcert=\(client.certificatePath) sslkey=\(client.keyPath)"
            let byCertificate = try await cluster.psql("SELECT current_user", connectionString: conninfo)
            #expect(byCertificate == "by_certificate")
            await #expect(throws: PGLocalClusterError.self) {
                try await cluster.psql(
                    "SELECT 1",
                    connectionString: cluster.keywordValueString(
                        user: "by_certificate", sslmode: .verifyFull))
            }
        }
    }

    @Test func restartsAndStopsTheServerKeepingThePort() async throws {
        try await withLocalCluster { cluster in
            let port = cluster.port
            let before = try await cluster.psql("SELECT pg_postmaster_start_time()")
            try await cluster.restart()
            #expect(cluster.port == port)
            let after = try await cluster.psql("SELECT pg_postmaster_start_time()")
            #expect(after != before)

            try await cluster.stopServer()
            #expect(!cluster.isListening())
            await #expect(throws: PGLocalClusterError.self) {
                try await cluster.psql("SELECT 1")
            }
            try await cluster.startServer()
            #expect(cluster.isListening())
            #expect(try await cluster.psql("SELECT 1") == "1")
        }
    }

    @Test func stopRemovesTheFolderAndClosesThePort() async throws {
        let cluster = try await PGLocalCluster.start()
        #expect(cluster.isListening())
        #expect(FileManager.default.fileExists(atPath: cluster.dataDirectory))
        try await cluster.stop()
        #expect(!cluster.isListening())
        #expect(!FileManager.default.fileExists(atPath: cluster.directory))
        try await cluster.stop()
        await #expect(throws: PGLocalClusterError.clusterStopped) {
            try await cluster.psql("SELECT 1")
        }
    }

    @Test func deinitStopsAClusterNobodyStopped() async throws {
        // The cluster's last reference goes when this function returns.
        func startAndForget() async throws -> (port: Int, directory: String) {
            let cluster = try await PGLocalCluster.start()
            #expect(cluster.isListening())
            return (cluster.port, cluster.directory)
        }
        let (port, directory) = try await startAndForget()
        #expect(!PGLocalCluster.isListening(port: port))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func stopsEvenWhenTheBodyThrows() async throws {
        struct Planned: Error {}
        var seenDirectory: String?
        await #expect(throws: Planned.self) {
            try await withLocalCluster { cluster in
                seenDirectory = cluster.directory
                throw Planned()
            }
        }
        let directory = try #require(seenDirectory)
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func encodesAwkwardPasswordsInEveryConnectionString() async throws {
        var options = PGLocalCluster.Options()
        options.superuser = "admin user"
        options.superuserPassword = "p@ss:w/rd %?#&=' \"\\ é"
        options.isTLSEnabled = false
        options.settings = ["cluster_name": "pglocal test's cluster"]
        try await withLocalCluster(options: options) { cluster in
            #expect(cluster.caCertificatePath == nil)
            #expect(cluster.url.hasSuffix("?sslmode=disable"))
            #expect(cluster.url.hasPrefix("postgres://admin%20user:p%40ss%3Aw%2Frd%20"))
            #expect(try await cluster.psql("SHOW ssl") == "off")
            #expect(try await cluster.psql("SHOW cluster_name") == "pglocal test's cluster")
            for conninfo in [cluster.url, cluster.keywordValueString()] {
                let user = try await cluster.psql("SELECT current_user", connectionString: conninfo)
                #expect(user == "admin user")
            }
            #expect(throws: PGLocalClusterError.tlsDisabled) {
                try cluster.makeClientCertificate(user: "nobody")
            }
        }
    }

    @Test func missingBinariesPointToTheInstallScript() async throws {
        var options = PGLocalCluster.Options()
        options.binDirectory = "/nonexistent/postgresql/bin"
        let error = await #expect(throws: PGLocalClusterError.self) {
            try await PGLocalCluster.start(options: options)
        }
        #expect(String(describing: try #require(error)).contains(".ci/install-postgres"))
    }

    @Test func failsWithTheLogTailWhenTheServerCannotStart() async throws {
        var options = PGLocalCluster.Options()
        options.settings = ["shared_buffers": "not a size"]
        let error = await #expect(throws: PGLocalClusterError.self) {
            try await PGLocalCluster.start(options: options)
        }
        guard case .serverFailedToStart(_, let logTail) = try #require(error) else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(logTail.contains("shared_buffers"))
    }
}
