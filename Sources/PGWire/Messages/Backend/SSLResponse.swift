public import NIOCore

/// The server's one-byte answer to an SSLRequest or GSSENCRequest.
///
/// It is not a framed message: a single byte, after which the client either starts the TLS (or
/// GSSAPI) handshake or goes on in plain text. Any byte after it that arrived before the
/// handshake was not protected by encryption and must be treated as a protocol violation
/// (CVE-2021-23222); ``decode(from:gssEncryption:)`` leaves such bytes in the buffer for the caller to check.
public enum SSLResponse: Hashable, Sendable {
    /// `S` (or `G` for GSSENCRequest): the server will encrypt; start the handshake.
    case accepted
    /// `N`: the server will not encrypt on this connection.
    case refused
    /// `E`: the server sent an ErrorResponse instead (a server too old to know the request);
    /// decode it with ``BackendMessageDecoder`` from the same buffer.
    case error

    /// Reads the answer byte for an SSLRequest (`gssEncryption == false`) or GSSENCRequest.
    ///
    /// - Returns: the answer, or `nil` when no byte has arrived yet. An `E` is not consumed.
    /// - Throws: ``PGWireError`` for any other byte.
    public static func decode(from buffer: inout ByteBuffer, gssEncryption: Bool = false) throws(PGWireError) -> SSLResponse? {
        guard let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        let name = gssEncryption ? "GSSENCRequest response" : "SSLRequest response"
        switch byte {
        case UInt8(ascii: "S") where !gssEncryption, UInt8(ascii: "G") where gssEncryption:
            buffer.moveReaderIndex(forwardBy: 1)
            return .accepted
        case UInt8(ascii: "N"):
            buffer.moveReaderIndex(forwardBy: 1)
            return .refused
        case UInt8(ascii: "E"):
            return .error
        default:
            throw PGWireError(.invalidValue(PGWireError.describe(byte: byte)), message: name)
        }
    }
}
