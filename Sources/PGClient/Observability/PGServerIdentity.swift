import Tracing

/// Where a connection goes, as telemetry names it: `server.address`, `server.port` and
/// `db.namespace`.
struct PGServerIdentity: Sendable, Hashable {
    /// The host as configured (a name, not the address it resolved to), or the unix socket's path.
    var address: String
    /// The TCP port; `nil` for a unix socket.
    var port: Int?
    /// The database.
    var namespace: String

    init(address: String, port: Int?, namespace: String) {
        self.address = address
        self.port = port
        self.namespace = namespace
    }

    /// The identity of `host` of `config`.
    init(host: PGConfig.Host, database: String) {
        if let path = host.unixSocketPath {
            self.init(address: path, port: nil, namespace: database)
        } else {
            self.init(address: host.host, port: host.port, namespace: database)
        }
    }

    /// The attributes every span about this server carries.
    func apply(to attributes: inout SpanAttributes) {
        attributes[PGTelemetryNames.systemName] = PGTelemetryNames.postgresql
        attributes[PGTelemetryNames.namespace] = namespace
        attributes[PGTelemetryNames.serverAddress] = address
        if let port { attributes[PGTelemetryNames.serverPort] = Int64(port) }
    }

    /// The same, as metric dimensions.
    var dimensions: [(String, String)] {
        var dimensions = [
            (PGTelemetryNames.systemName, PGTelemetryNames.postgresql), (PGTelemetryNames.namespace, namespace),
            (PGTelemetryNames.serverAddress, address),
        ]
        if let port { dimensions.append((PGTelemetryNames.serverPort, String(port))) }
        return dimensions
    }
}
