import NIOSSL

/// What the TLS handshake needs: the NIOSSL context made from the configuration and the name
/// to send in SNI and check the certificate against (`nil` for IP addresses, whose certificate
/// is then checked against the peer's address).
struct PGTLSSetup: Sendable {
    let context: NIOSSLContext
    let serverHostname: String?
}
