import Foundation

/// Makes a cluster's TLS material with the `openssl` command line: a CA, a server certificate for
/// localhost/127.0.0.1/::1 signed by it, and client certificates on request.
///
/// Keys are EC P-256: generated instantly, and their certificates are signed with SHA-256, which is
/// the hash SCRAM-SHA-256-PLUS channel binding (tls-server-end-point) then uses.
struct CertificateAuthority: Sendable {
    let files: TLSFiles
    let openssl: String

    static let validityDays = "3650"

    /// Makes the folder, the CA and the server certificate; hands the server's files to `account`.
    static func create(
        in folder: String, account: ServerAccount
    ) throws(PGLocalClusterError) -> CertificateAuthority {
        guard let openssl = ExecutableLocator.find("openssl") else {
            throw .toolNotFound(name: "openssl")
        }
        let authority = CertificateAuthority(files: TLSFiles(folder: folder), openssl: openssl)
        let files = authority.files
        try ClusterFiles.makeFolder(folder, mode: 0o700)
        try account.handOver(folder)
        try authority.run([
            "req", "-new", "-x509", "-nodes", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-sha256",
            "-keyout", files.caKeyPath, "-out", files.caCertificatePath,
            "-days", validityDays, "-subj", "/CN=PGLocalCluster test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try ClusterFiles.setMode(0o600, of: files.caKeyPath)
        try authority.issue(
            commonName: "localhost",
            extensions: [
                "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
                "extendedKeyUsage=serverAuth",
            ],
            certificatePath: files.serverCertificatePath, keyPath: files.serverKeyPath)
        // The server reads its key as the `postgres` user and insists on 0600 when it owns the key.
        for path in [files.serverKeyPath, files.serverCertificatePath, files.caCertificatePath] {
            try account.handOver(path)
        }
        return authority
    }

    /// A client certificate with `user` as CN, for `cert` authentication; kept in our own folder.
    func makeClientCertificate(user: String) throws(PGLocalClusterError)
        -> PGLocalCluster.ClientCertificate
    {
        if !FileManager.default.fileExists(atPath: files.clientFolder) {
            try ClusterFiles.makeFolder(files.clientFolder, mode: 0o700)
        }
        // Hex keeps any role name a safe, distinct file name.
        let stem = files.clientFolder + "/" + user.utf8.map { Hex.digits($0) }.joined()
        let certificate = PGLocalCluster.ClientCertificate(
            certificatePath: stem + ".crt", keyPath: stem + ".key")
        try issue(
            commonName: user, extensions: ["extendedKeyUsage=clientAuth"],
            certificatePath: certificate.certificatePath, keyPath: certificate.keyPath)
        return certificate
    }

    /// A key and a certificate for `commonName`, signed by the CA.
    private func issue(
        commonName: String, extensions: [String], certificatePath: String, keyPath: String
    ) throws(PGLocalClusterError) {
        let requestPath = certificatePath + ".csr"
        let extensionsPath = certificatePath + ".ext"
        defer {
            try? ClusterFiles.remove(requestPath)
            try? ClusterFiles.remove(extensionsPath)
        }
        try run([
            "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", keyPath, "-out", requestPath, "-subj", "/CN=" + Self.escapedForSubject(commonName),
        ])
        try ClusterFiles.setMode(0o600, of: keyPath)
        try ClusterFiles.write(
            (["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature"] + extensions)
                .joined(separator: "\n") + "\n",
            to: extensionsPath, mode: 0o600)
        try run([
            "x509", "-req", "-in", requestPath, "-CA", files.caCertificatePath,
            "-CAkey", files.caKeyPath, "-set_serial", Self.randomSerial(), "-sha256",
            "-days", Self.validityDays, "-extfile", extensionsPath, "-out", certificatePath,
        ])
    }

    private func run(_ arguments: [String]) throws(PGLocalClusterError) {
        let command = Command(openssl, arguments)
        let result = try CommandRunner.runBlocking(command)
        guard result.succeeded else {
            throw .commandFailed(
                command: command.commandLine, status: result.status, output: result.failureOutput)
        }
    }

    /// `-subj` treats `/`, `+` and `=` as syntax; a backslash makes any character literal.
    private static func escapedForSubject(_ value: String) -> String {
        var escaped = ""
        for character in value {
            if "/+=\\,".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// A positive 64-bit serial, random so that re-issued certificates never repeat one.
    private static func randomSerial() -> String {
        let bytes = [UInt8.random(in: 1...0x7F)] + (1..<8).map { _ in UInt8.random(in: 0...255) }
        return "0x" + bytes.map { Hex.digits($0) }.joined()
    }
}
