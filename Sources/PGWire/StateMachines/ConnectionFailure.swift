/// Why the connection state machine gave up on a connection, or refused a request.
///
/// Every case leaves the connection closed, except ``notReady`` and ``closing``, which
/// refuse a single request without touching the connection.
public enum ConnectionFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The server broke the protocol (a malformed or unexpected message); the stream cannot be
    /// trusted any more.
    case protocolViolation(PGWireError)
    /// SCRAM failed: a forged or missing server proof, a malformed server message, a bad
    /// certificate for channel binding.
    case authentication(PGAuthenticationError)
    /// The server asked for an authentication method pgwire-swift cannot perform (Kerberos,
    /// GSSAPI, SSPI, an unknown SASL mechanism).
    case unsupportedAuthenticationMethod(String)
    /// The server asked for a method the settings do not accept (`require_auth`,
    /// `channel_binding=require`); the text says which and why.
    case authenticationMethodRejected(String)
    /// The server asked for a password and the settings have none.
    case passwordRequired
    /// The server sent an ErrorResponse that ends the session (a startup failure such as a wrong
    /// password or an unknown database, or a FATAL error later).
    case server(BackendMessage.ErrorResponse)
    /// TLS was required and the server refused it.
    case tlsRefused
    /// Bytes arrived after the server's answer to SSLRequest and before the TLS handshake, so
    /// they were not encrypted; accepting them would allow injection (CVE-2021-23222).
    case unencryptedBytesAfterSSLResponse
    /// The server supports no protocol version this client can speak.
    case unsupportedProtocolVersion(String)
    /// The connection closed, or the socket failed, before the work was done.
    case connectionClosed
    /// The client closed the connection.
    case closedByClient
    /// A cancelled statement did not end within the cancel timeout (the server ignored or did
    /// not receive the CancelRequests), so the client closed the connection rather than wait
    /// on it; the statement's outcome is not known.
    case cancelNotConfirmed
    /// A request came before the session was ready.
    case notReady
    /// A request came while the connection was closing or closed.
    case closing

    public var description: String {
        switch self {
        case .protocolViolation(let error): "\(error)"
        case .authentication(let error): "\(error)"
        case .unsupportedAuthenticationMethod(let method):
            "the server asked for authentication method \(method), which pgwire-swift does not support"
        case .authenticationMethodRejected(let reason): "authentication rejected by the client: \(reason)"
        case .passwordRequired: "the server asked for a password, and none was given"
        case .server(let error):
            "server error \(error.fields[.sqlState] ?? "?????"): \(error.fields[.message] ?? "(no message)")"
        case .tlsRefused: "the server does not accept TLS connections, and TLS is required"
        case .unencryptedBytesAfterSSLResponse:
            "protocol violation: the server sent unencrypted bytes after accepting TLS"
        case .unsupportedProtocolVersion(let detail): "unsupported protocol version: \(detail)"
        case .connectionClosed: "the connection was closed"
        case .closedByClient: "the connection was closed by the client"
        case .cancelNotConfirmed:
            "the connection was closed: a cancelled statement did not end within the cancel timeout"
        case .notReady: "the connection is not ready for queries yet"
        case .closing: "the connection is closing"
        }
    }
}
