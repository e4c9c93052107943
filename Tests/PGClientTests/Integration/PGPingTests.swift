import Foundation
import PGClient
import PGLocalCluster
import Testing

/// The `pgping` executable against real servers: its exit codes, its timeout against a server
/// that never answers, and its JSON.
@Suite("pgping")
struct PGPingTests {
    @Test func acceptingServerExitsZero() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let run = try await PGPingRunner.run([cluster.url])
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
        #expect(run.standardOutput.contains("accepting connections"))
        #expect(run.standardOutput.contains("tls=TLSv1.3"))
    }

    @Test func wrongPasswordAndUnknownDatabaseExitFour() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let wrongPassword = try await PGPingRunner.run([cluster.url(password: "wrong-password")])
        #expect(wrongPassword.status == 4, "\(wrongPassword.standardOutput)")
        #expect(wrongPassword.standardOutput.contains("28P01") || wrongPassword.standardOutput.contains("password authentication failed"))
        #expect(!wrongPassword.standardOutput.contains("wrong-password"))
        let unknownDatabase = try await PGPingRunner.run([cluster.url(database: "no_such_db")])
        #expect(unknownDatabase.status == 4, "\(unknownDatabase.standardOutput)")
    }

    @Test func noAuthAcceptsAWrongPassword() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let run = try await PGPingRunner.run(["--no-auth", cluster.url(password: "wrong-password")])
        #expect(run.status == 0, "\(run.standardOutput)\(run.standardError)")
    }

    @Test func closedPortExitsTwo() async throws {
        let port = try SilentListener.closedPort()
        let run = try await PGPingRunner.run(["-t", "2", "host=127.0.0.1 port=\(port) user=x dbname=x sslmode=disable"])
        #expect(run.status == 2, "\(run.standardOutput)\(run.standardError)")
    }

    @Test func silentServerTimesOutWithExitTwo() async throws {
        let listener = try SilentListener()
        let run = try await PGPingRunner.run(["-t", "1", "host=127.0.0.1 port=\(listener.port) user=x dbname=x"])
        #expect(run.status == 2, "\(run.standardOutput)\(run.standardError)")
        // Bounded, not fast: without the deadline a silent server holds pgping for ever. The bound
        // is loose because starting a debug binary on a loaded 2-core machine took 44 s once.
        #expect(run.duration < .seconds(180), "took \(run.duration)")
        withExtendedLifetime(listener) {}
    }

    @Test(arguments: ["host=127.0.0.1 port=notaport", "postgres://[::1", "sslmode=sometimes", "unknown_option=1"])
    func badConnectionStringExitsThree(conninfo: String) async throws {
        let run = try await PGPingRunner.run([conninfo])
        #expect(run.status == 3, "\(conninfo): \(run.standardOutput)\(run.standardError)")
    }

    /// pg_isready's options, short and long: `-h` is the host, so help is `--help` alone.
    @Test func takesPgIsreadysOptions() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let environment = ["PGPASSWORD": cluster.superuserPassword, "PGSSLMODE": "disable"]
        let short = try await PGPingRunner.run(
            ["-h", "127.0.0.1", "-p", "\(cluster.port)", "-d", "postgres", "-U", cluster.superuser, "-t", "30"],
            environment: environment)
        #expect(short.status == 0, "\(short.standardOutput)\(short.standardError)")
        let long = try await PGPingRunner.run(
            [
                "--host", "127.0.0.1", "--port", "\(cluster.port)", "--dbname", "postgres",
                "--username", cluster.superuser, "--timeout", "30", "--quiet",
            ], environment: environment)
        #expect(long.status == 0, "\(long.standardError)")
        #expect(long.standardOutput.isEmpty)
        let help = try await PGPingRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("--host"))
        for version in ["-V", "--version"] {
            let run = try await PGPingRunner.run([version])
            #expect(run.status == 0)
            #expect(run.standardOutput.hasPrefix("pgping (pgwire-swift) "), "\(run.standardOutput)")
        }
    }

    /// Arguments that do not parse are pg_isready's exit 3 ("no attempt"), not the usual 64.
    @Test(arguments: [["-h"], ["--no-such-option"], ["-t", "soon"], ["--count", "0", "x"], ["-x"]])
    func badArgumentsExitThree(arguments: [String]) async throws {
        let run = try await PGPingRunner.run(arguments)
        #expect(run.status == 3, "\(arguments): \(run.standardOutput)\(run.standardError)")
        #expect(!run.standardError.isEmpty)
    }

    /// A certificate that does not name the host is a TLS verification failure of a server that
    /// answered, as an unknown CA is: exit 4 either way, and `tls=failed`, not `none`.
    @Test func everyTLSVerificationFailureExitsFour() async throws {
        let shared = try await SharedCluster.instance
        let cluster = shared.cluster
        let caPath = try #require(cluster.caCertificatePath)
        let base = "hostaddr=127.0.0.1 port=\(cluster.port) dbname=postgres user=\(cluster.superuser)"
        let environment = ["PGPASSWORD": cluster.superuserPassword]
        let wrongName = try await PGPingRunner.run(
            ["host=wronghost.example \(base) sslmode=verify-full sslrootcert=\(caPath)"], environment: environment)
        let unknownCA = try await PGPingRunner.run(
            ["host=localhost \(base) sslmode=verify-ca sslrootcert=\(shared.foreignCACertificatePath)"], environment: environment)
        for run in [wrongName, unknownCA] {
            #expect(run.status == 4, "\(run.standardOutput)\(run.standardError)")
            #expect(run.standardOutput.contains("check failed"))
            #expect(run.standardOutput.contains("tls=failed"), "\(run.standardOutput)")
        }
    }

    @Test func jsonIsParsable() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let run = try await PGPingRunner.run(["--json", "--count", "2", "--interval", "0", cluster.url])
        #expect(run.status == 0)
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        let objects = try lines.map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(objects.first?["outcome"] as? String == "accepting connections")
        #expect(objects.first?["exit_code"] as? Int == 0)
        #expect(objects.first?["server_version"] as? String != nil)
        #expect(objects.first?["auth"] as? String == "scram-sha-256-plus")
        let summary = try #require(objects.last?["summary"] as? [String: Any])
        #expect(summary["attempts"] as? Int == 2)
        #expect(summary["accepting"] as? Int == 2)
    }

    @Test func serverOutOfConnectionsExitsOne() async throws {
        var options = PGLocalCluster.Options()
        options.settings = ["max_connections": "3", "superuser_reserved_connections": "0"]
        options.isTLSEnabled = false
        try await withLocalCluster(options: options) { cluster in
            var held: [PGConnection] = []
            for _ in 0..<3 { held.append(try await cluster.connect()) }
            let run = try await PGPingRunner.run([cluster.url])
            #expect(run.status == 1, "\(run.standardOutput)\(run.standardError)")
            #expect(run.standardOutput.contains("rejecting"))
            for connection in held { await connection.close() }
        }
    }
}
