/// What a SCRAM client says about channel binding (RFC 5802 §6, RFC 5929), as libpq decides it.
///
/// - Without TLS the client cannot bind: ``notSupportedByClient`` (gs2 header `n,,`).
/// - With TLS, when the server offered only `SCRAM-SHA-256`: ``notOfferedByServer`` (`y,,`), so that
///   a server that does support binding sees the downgrade and fails the exchange.
/// - With TLS and `SCRAM-SHA-256-PLUS` offered: ``tlsServerEndPoint(certificateHash:)``
///   (`p=tls-server-end-point,,`), binding the exchange to the server's certificate.
///
/// ```swift
/// let binding = try SCRAMChannelBinding.tlsServerEndPoint(certificateDER: serverCertificateDER)
/// var scram = SCRAMSHA256(password: "secret", channelBinding: binding)
/// ```
public enum SCRAMChannelBinding: Hashable, Sendable {
    /// The client cannot bind (no TLS). Sends `n,,`.
    case notSupportedByClient
    /// The client could bind but the server offered no `-PLUS` mechanism. Sends `y,,`.
    case notOfferedByServer
    /// Binds to the server certificate: the hash is the certificate's DER bytes hashed as RFC 5929
    /// §4.1 says (see ``tlsServerEndPoint(certificateDER:)``). Sends `p=tls-server-end-point,,`
    /// and selects `SCRAM-SHA-256-PLUS`.
    case tlsServerEndPoint(certificateHash: [UInt8])

    /// The channel binding for a server certificate: its DER bytes hashed with the hash of its
    /// signature algorithm, or SHA-256 when that is MD5 or SHA-1 (RFC 5929 §4.1).
    ///
    /// - Parameter certificateDER: the server's end-entity certificate, exactly as it was sent in
    ///   the TLS handshake.
    /// - Throws: `.malformedCertificate` when the bytes are not a DER certificate as far as this needs
    ///   to read, `.unsupportedCertificateSignatureAlgorithm` when its signature algorithm names no
    ///   usable hash (Ed25519, Ed448, SHA-224, …; libpq refuses these as well).
    public static func tlsServerEndPoint(
        certificateDER: some Collection<UInt8>
    ) throws(PGAuthenticationError) -> SCRAMChannelBinding {
        let certificate = Array(certificateDER)
        let hash = try CertificateSignatureHash(certificateDER: certificate)
        return .tlsServerEndPoint(certificateHash: hash.digest(certificate))
    }

    /// The SASL mechanism name to send in SASLInitialResponse.
    public var mechanism: String {
        switch self {
        case .notSupportedByClient, .notOfferedByServer: return "SCRAM-SHA-256"
        case .tlsServerEndPoint: return "SCRAM-SHA-256-PLUS"
        }
    }

    /// The GS2 header that starts the client-first-message (no authorization identity).
    var gs2Header: String {
        switch self {
        case .notSupportedByClient: return "n,,"
        case .notOfferedByServer: return "y,,"
        case .tlsServerEndPoint: return "p=tls-server-end-point,,"
        }
    }

    /// The value of the client-final-message's `c=` attribute: base64 of the GS2 header followed
    /// by the channel-binding data (`biws` for `n,,`, `eSws` for `y,,`).
    var channelBindingAttribute: String {
        var input = Array(gs2Header.utf8)
        if case .tlsServerEndPoint(let certificateHash) = self {
            input += certificateHash
        }
        return Base64.encode(input)
    }
}
