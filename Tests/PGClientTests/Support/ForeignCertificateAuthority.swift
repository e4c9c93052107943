import PGLocalCluster

/// A self-signed CA that signed nothing any test server uses: trusting only it must make every
/// certificate check fail.
enum ForeignCertificateAuthority {
    /// Makes the CA's certificate in `folder` and returns its path.
    static func make(in folder: String) throws -> String {
        try PGLocalCluster.makeUntrustedCACertificate(in: folder)
    }
}

/// A failure of the test support itself (not of the code under test).
struct TestSupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
