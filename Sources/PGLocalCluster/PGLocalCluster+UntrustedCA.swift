extension PGLocalCluster {
    /// Writes a new self-signed CA certificate, which signed no server's certificate, to
    /// `folder/ca.crt` and returns that path: trusting only it must make every certificate check
    /// fail. Its key is not kept.
    ///
    /// - Throws: ``PGLocalClusterError`` when the folder or the certificate cannot be made.
    public static func makeUntrustedCACertificate(in folder: String) throws(PGLocalClusterError) -> String {
        try ClusterFiles.makeFolder(folder, mode: 0o700)
        let files = TLSFiles(folder: folder)
        let authority = try CertificateAuthority.make("untrusted test CA", files: files)
        try ClusterFiles.write(authority.certificatePEM, to: files.caCertificatePath, mode: 0o644)
        return files.caCertificatePath
    }
}
