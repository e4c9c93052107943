/// The text of the files that configure the server: settings appended to `postgresql.conf` and the
/// whole of `pg_hba.conf`.
struct ServerConfiguration: Sendable {
    var port: Int
    var listensOnIPv6: Bool
    var socketDirectory: String
    var tls: TLSFiles?
    var authMethod: PGLocalCluster.AuthMethod
    var superuser: String
    var extraSettings: [String: String]
    var extraHBALines: [String]

    /// The name of the settings file next to `postgresql.conf`, which includes it.
    static let settingsFileName = "pglocalcluster.conf"

    /// Settings for a fast, throwaway server: durability off (a crash loses nothing we care about),
    /// room for pool tests, TLS when asked, extra settings last so they override ours.
    var settingsFile: String {
        var settings: [(String, String)] = [
            ("listen_addresses", listensOnIPv6 ? "127.0.0.1,::1" : "127.0.0.1"),
            ("port", String(port)),
            ("unix_socket_directories", socketDirectory),
            ("fsync", "off"),
            ("synchronous_commit", "off"),
            ("full_page_writes", "off"),
            ("max_connections", "200"),
            ("password_encryption", "scram-sha-256"),
            // pg_ctl -l sends the server's stderr to this file; no collector process needed.
            ("logging_collector", "off"),
            ("log_destination", "stderr"),
        ]
        if let tls {
            settings += [
                ("ssl", "on"),
                ("ssl_cert_file", tls.serverCertificatePath),
                ("ssl_key_file", tls.serverKeyPath),
                ("ssl_ca_file", tls.caCertificatePath),
            ]
        } else {
            settings.append(("ssl", "off"))
        }
        settings += extraSettings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let lines = settings.map { "\($0.0) = \(Quoting.configurationValue($0.1))" }
        return "# Written by PGLocalCluster.\n" + lines.joined(separator: "\n") + "\n"
    }

    /// The superuser's socket lines first (the `psql` helper and `pg_basebackup` for a replica
    /// rely on them, whatever the extra lines say), then the extra lines (first match wins), then
    /// the default method for everyone over the socket, IPv4 and IPv6.
    var hbaFile: String {
        let hostType = authMethod == .cert ? "hostssl" : "host"
        let method = authMethod.rawValue
        // cert makes no sense on a Unix socket; there the default method falls back to SCRAM.
        let localMethod = authMethod == .cert ? "scram-sha-256" : method
        var lines = [
            "# Written by PGLocalCluster.",
            "local all \(Quoting.sqlIdentifier(superuser)) scram-sha-256",
            "local replication \(Quoting.sqlIdentifier(superuser)) scram-sha-256",
        ]
        lines += extraHBALines
        lines.append("local all all \(localMethod)")
        lines.append("\(hostType) all all 127.0.0.1/32 \(method)")
        lines.append("\(hostType) all all ::1/128 \(method)")
        return lines.joined(separator: "\n") + "\n"
    }
}
