import NIOSSL

/// What the TLS handshake needs: the NIOSSL context made from the configuration, the name to
/// send in SNI, and the host name the certificate must carry (checked by us, see below).
struct PGTLSSetup: Sendable {
    let context: NIOSSLContext
    /// Sent as SNI (`nil` for IP addresses, or with `sslsni=0`).
    let serverHostname: String?
    /// With `verify-full` and a host given by name, the DNS name the server certificate must
    /// carry. NIOSSL would also accept a certificate whose IP address matches the socket's, which
    /// libpq does not when the host is a name, so names are checked here after the handshake.
    let expectedHostName: String?

    /// Whether a certificate's DNS subject alternative names cover `host`, as libpq matches
    /// them: case-insensitively, with `*` allowed only as the whole leftmost label, standing for
    /// exactly one label.
    static func certificate(dnsNames: [String], matches host: String) -> Bool {
        let host = host.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        return dnsNames.contains { name in
            let pattern = name.lowercased().split(separator: ".", omittingEmptySubsequences: false)
            guard pattern.count == host.count, !pattern.isEmpty else { return false }
            for (index, (expected, actual)) in zip(pattern, host).enumerated() {
                if expected == "*" && index == 0 && pattern.count > 2 { continue }
                if expected != actual { return false }
            }
            return true
        }
    }

    /// The DNS names of a certificate's subject alternative names.
    static func dnsNames(of certificate: NIOSSLCertificate) -> [String] {
        certificate._subjectAlternativeNames()
            .filter { $0.nameType == .dnsName }
            .map { String(decoding: Array($0.contents), as: UTF8.self) }
    }
}

extension PGTLSSetup {
    /// Checks the server's certificate after the handshake: with ``expectedHostName``, it must
    /// name that host. Returns the error the connection fails with, if it does not.
    func checkPeer(of handler: NIOSSLHandler?) -> PGError? {
        guard let expected = expectedHostName else { return nil }
        let names = handler?.peerCertificate.map(Self.dnsNames(of:)) ?? []
        guard !Self.certificate(dnsNames: names, matches: expected) else { return nil }
        return PGError(
            .tls, message: "the server certificate is not for \(expected) (its names: \(names.joined(separator: ", ")))",
            requestWasSent: false)
    }

    /// The protocol's usual name for a TLS version (`TLSv1.3`).
    static func name(of version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }
}
