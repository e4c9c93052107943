import Foundation
import PGClient
import PGLocalCluster

/// The one throwaway cluster every test of this process shares, started on first use with TLS,
/// SCRAM, the roles of ``TestRoles`` and their `pg_hba.conf` lines, and stopped when the process
/// exits.
///
/// Tests that stop, restart or exhaust a server start a cluster of their own instead
/// (`withLocalCluster`), so they never disturb the tests running beside them.
///
/// ```swift
/// let shared = try await SharedCluster.instance
/// let connection = try await shared.cluster.connect(as: TestRoles.md5, sslmode: .disable)
/// ```
final class SharedCluster: Sendable {
    let cluster: PGLocalCluster
    /// A client certificate for ``TestRoles/cert``, signed by the cluster's CA.
    let clientCertificate: PGLocalCluster.ClientCertificate
    /// The certificate of a CA that signed nothing the cluster uses.
    let foreignCACertificatePath: String

    private init(
        cluster: PGLocalCluster, clientCertificate: PGLocalCluster.ClientCertificate,
        foreignCACertificatePath: String
    ) {
        self.cluster = cluster
        self.clientCertificate = clientCertificate
        self.foreignCACertificatePath = foreignCACertificatePath
    }

    /// The shared cluster, started by the first caller; every later caller waits for the same one.
    static var instance: SharedCluster {
        get async throws { try await starting.value }
    }

    private static let starting = Task { try await SharedCluster.start() }

    private static func start() async throws -> SharedCluster {
        var options = PGLocalCluster.Options()
        options.users = TestRoles.asciiUsers.map { role, md5 in
            PGLocalCluster.User(
                name: role.name, password: role.password,
                passwordEncryption: md5 ? .md5 : .scramSHA256)
        }
        options.hbaLines = TestRoles.hbaLines
        // Every suite of the process starts at once and connects here: a run of the whole suite
        // held up to 170 sessions in its first minute, and one run reached the 197 a role
        // other than the superuser may have of the default 200 (53300, "remaining connection
        // slots are reserved").
        options.settings["max_connections"] = "400"
        let cluster = try await PGLocalCluster.start(options: options)
        cluster.stopAtExit()

        // The unicode role and database are made through our own client: that is the first
        // test of unicode in statements, and psql would depend on the caller's locale.
        let admin = try await cluster.connect()
        let unicode = TestRoles.unicode
        try await admin.simpleQuery(
            "CREATE ROLE \(quoted(unicode.name)) LOGIN PASSWORD '\(unicode.password ?? "")'")
        try await admin.simpleQuery(
            "CREATE DATABASE \(quoted(TestRoles.unicodeDatabase)) OWNER \(quoted(unicode.name))")
        await admin.close()

        let certificate = try cluster.makeClientCertificate(user: TestRoles.cert.name)
        let foreignCA = try ForeignCertificateAuthority.make(in: cluster.directory + "/foreign-ca")
        return SharedCluster(
            cluster: cluster, clientCertificate: certificate, foreignCACertificatePath: foreignCA)
    }


    private static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
