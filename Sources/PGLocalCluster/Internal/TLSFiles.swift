/// Where a cluster's TLS material lives.
struct TLSFiles: Sendable, Hashable {
    var folder: String
    var caCertificatePath: String
    var serverCertificatePath: String
    var serverKeyPath: String

    init(folder: String) {
        self.folder = folder
        caCertificatePath = folder + "/ca.crt"
        serverCertificatePath = folder + "/server.crt"
        serverKeyPath = folder + "/server.key"
    }

    /// Client certificates go in their own folder, owned by us rather than by the server's account,
    /// because libpq refuses a key that others can read and we are the ones reading it.
    var clientFolder: String { folder + "/clients" }
}
