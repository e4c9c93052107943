import Crypto
import Foundation
import SwiftASN1
import X509

/// Makes a cluster's TLS material in-process with swift-certificates: a CA, a server certificate
/// for localhost/127.0.0.1/::1 signed by it, and client certificates on request.
///
/// Keys are EC P-256: generated instantly, and their certificates are signed with ECDSA SHA-256,
/// the hash SCRAM-SHA-256-PLUS channel binding (tls-server-end-point) then uses.
struct CertificateAuthority: Sendable {
    let files: TLSFiles
    let key: P256.Signing.PrivateKey
    let certificate: Certificate

    static let validity: TimeInterval = 3650 * 86_400

    /// Makes the folder, the CA and the server certificate; hands the server's files to `account`.
    static func create(
        in folder: String, account: ServerAccount
    ) throws(PGLocalClusterError) -> CertificateAuthority {
        let files = TLSFiles(folder: folder)
        try ClusterFiles.makeFolder(folder, mode: 0o700)
        try account.handOver(folder)
        let authority = try make("PGLocalCluster test CA", files: files)
        try ClusterFiles.write(authority.certificatePEM, to: files.caCertificatePath, mode: 0o644)
        try authority.issue(
            commonName: "localhost",
            names: [
                .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1][...])),
            ],
            usage: .serverAuth,
            certificatePath: files.serverCertificatePath, keyPath: files.serverKeyPath)
        // The server reads its key as the `postgres` user and insists on 0600 when it owns the key.
        for path in [files.serverKeyPath, files.serverCertificatePath, files.caCertificatePath] {
            try account.handOver(path)
        }
        return authority
    }

    /// A self-signed CA with a new key, its files not written.
    static func make(_ commonName: String, files: TLSFiles) throws(PGLocalClusterError) -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let certificate = try building("the CA certificate") {
            let name = try DistinguishedName { CommonName(commonName) }
            return try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(key.publicKey),
                notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(validity),
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
        }
        return CertificateAuthority(files: files, key: key, certificate: certificate)
    }

    /// The CA certificate as PEM.
    var certificatePEM: String {
        get throws(PGLocalClusterError) {
            try Self.building("the CA certificate's PEM") { try certificate.serializeAsPEM().pemString + "\n" }
        }
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
            commonName: user, names: [], usage: .clientAuth,
            certificatePath: certificate.certificatePath, keyPath: certificate.keyPath)
        return certificate
    }

    /// The CA's own subject key identifier, which the certificates it issues name.
    private var authorityKeyIdentifier: ArraySlice<UInt8> {
        SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey)).keyIdentifier
    }

    /// A new key and a certificate for `commonName` (and `names`, when given, as its subject
    /// alternative names), signed by the CA, written as PEM files.
    private func issue(
        commonName: String, names: [GeneralName], usage: ExtendedKeyUsage.Usage,
        certificatePath: String, keyPath: String
    ) throws(PGLocalClusterError) {
        let subjectKey = P256.Signing.PrivateKey()
        let pem = try Self.building("the certificate for \(commonName)") {
            let issued = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(subjectKey.publicKey),
                notValidBefore: Date().addingTimeInterval(-3600),
                notValidAfter: Date().addingTimeInterval(Self.validity),
                issuer: certificate.subject, subject: try DistinguishedName { CommonName(commonName) },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    // The key identifiers let OpenSSL (libpq) tell this CA from another of the
                    // same name, and report an unknown CA as a failed verification.
                    AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
                    SubjectKeyIdentifier(hash: Certificate.PublicKey(subjectKey.publicKey))
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    if !names.isEmpty { SubjectAlternativeNames(names) }
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
            return try issued.serializeAsPEM().pemString + "\n"
        }
        try ClusterFiles.write(subjectKey.pemRepresentation + "\n", to: keyPath, mode: 0o600)
        try ClusterFiles.write(pem, to: certificatePath, mode: 0o644)
    }

    /// Runs `body`, reporting what swift-certificates throws as a failure to make `what`.
    private static func building<T>(_ what: String, _ body: () throws -> T) throws(PGLocalClusterError) -> T {
        do {
            return try body()
        } catch {
            throw .certificateFailed(what: what, reason: "\(error)")
        }
    }
}
