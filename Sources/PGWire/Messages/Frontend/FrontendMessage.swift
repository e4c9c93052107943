public import NIOCore

/// A message the client sends to the server.
///
/// Each case carries a value type named as in the PostgreSQL documentation. ``encode(into:)``
/// writes the framed message straight into a `ByteBuffer`, so that any number of messages become
/// one write:
///
/// ```swift
/// var out = ByteBuffer()
/// try FrontendMessage.parse(.init(statementName: "", query: "SELECT $1::int4")).encode(into: &out)
/// try FrontendMessage.bind(.init(parameters: [ByteBuffer(integer: Int32(7))])).encode(into: &out)
/// try FrontendMessage.execute(.init()).encode(into: &out)
/// try FrontendMessage.sync.encode(into: &out)
/// channel.writeAndFlush(out)
/// ```
public enum FrontendMessage: Hashable, Sendable {
    /// The first message of a session: protocol version and session parameters (no type byte).
    case startup(StartupMessage)
    /// Asks the server to start TLS (no type byte).
    case sslRequest
    /// Asks the server to start GSSAPI encryption (no type byte).
    case gssEncRequest
    /// Asks the server, on a new connection, to cancel a query running elsewhere (no type byte).
    case cancelRequest(CancelRequest)
    /// `p`: a cleartext or MD5-hashed password.
    case password(PasswordMessage)
    /// `p`: the first SASL message: the chosen mechanism and the client-first-message.
    case saslInitialResponse(SASLInitialResponse)
    /// `p`: a later SASL message (the client-final-message for SCRAM).
    case saslResponse(SASLResponse)
    /// `Q`: a simple query: one or more SQL statements as text.
    case query(Query)
    /// `P`: prepares a statement.
    case parse(Parse)
    /// `B`: binds parameters to a prepared statement, making a portal.
    case bind(Bind)
    /// `D`: asks for a statement's or portal's description.
    case describe(Describe)
    /// `E`: runs a portal.
    case execute(Execute)
    /// `S`: ends an extended-query batch; the server answers ReadyForQuery.
    case sync
    /// `H`: asks the server to send what it has produced so far.
    case flush
    /// `C`: closes a prepared statement or portal.
    case close(Close)
    /// `d`: a chunk of COPY FROM STDIN data.
    case copyData(CopyData)
    /// `c`: the end of COPY FROM STDIN data.
    case copyDone
    /// `f`: aborts a COPY FROM STDIN with a message; the server fails the COPY.
    case copyFail(CopyFail)
    /// `X`: ends the session.
    case terminate

    /// The message's name in the PostgreSQL documentation (`"Bind"`).
    public var name: String {
        switch self {
        case .startup: "StartupMessage"
        case .sslRequest: "SSLRequest"
        case .gssEncRequest: "GSSENCRequest"
        case .cancelRequest: "CancelRequest"
        case .password: "PasswordMessage"
        case .saslInitialResponse: "SASLInitialResponse"
        case .saslResponse: "SASLResponse"
        case .query: "Query"
        case .parse: "Parse"
        case .bind: "Bind"
        case .describe: "Describe"
        case .execute: "Execute"
        case .sync: "Sync"
        case .flush: "Flush"
        case .close: "Close"
        case .copyData: "CopyData"
        case .copyDone: "CopyDone"
        case .copyFail: "CopyFail"
        case .terminate: "Terminate"
        }
    }

    /// Writes the whole framed message into `buffer`.
    ///
    /// - Throws: ``PGWireError`` when a string holds a NUL byte or a list is longer than the
    ///   protocol can count; `buffer` is then left as it was.
    public func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
        switch self {
        case .startup(let message): try message.encode(into: &buffer)
        case .sslRequest: SpecialRequestCode.ssl.encode(into: &buffer)
        case .gssEncRequest: SpecialRequestCode.gssEncryption.encode(into: &buffer)
        case .cancelRequest(let message): try message.encode(into: &buffer)
        case .password(let message): try message.encode(into: &buffer)
        case .saslInitialResponse(let message): try message.encode(into: &buffer)
        case .saslResponse(let message): try message.encode(into: &buffer)
        case .query(let message): try message.encode(into: &buffer)
        case .parse(let message): try message.encode(into: &buffer)
        case .bind(let message): try message.encode(into: &buffer)
        case .describe(let message): try message.encode(into: &buffer)
        case .execute(let message): try message.encode(into: &buffer)
        case .sync: FrontendMessage.writeEmpty(type: .sync, into: &buffer)
        case .flush: FrontendMessage.writeEmpty(type: .flush, into: &buffer)
        case .close(let message): try message.encode(into: &buffer)
        case .copyData(let message): try message.encode(into: &buffer)
        case .copyDone: FrontendMessage.writeEmpty(type: .copyDone, into: &buffer)
        case .copyFail(let message): try message.encode(into: &buffer)
        case .terminate: FrontendMessage.writeEmpty(type: .terminate, into: &buffer)
        }
    }

    /// Writes a message that is only a type byte and a length of 4.
    static func writeEmpty(type: FrontendMessageType, into buffer: inout ByteBuffer) {
        buffer.writeInteger(type.rawValue)
        buffer.writeInteger(Int32(4))
    }
}

/// Type bytes of the typed frontend messages.
enum FrontendMessageType: UInt8 {
    case password = 0x70  // p (also SASLInitialResponse, SASLResponse, GSSResponse)
    case query = 0x51  // Q
    case parse = 0x50  // P
    case bind = 0x42  // B
    case describe = 0x44  // D
    case execute = 0x45  // E
    case sync = 0x53  // S
    case flush = 0x48  // H
    case close = 0x43  // C
    case copyData = 0x64  // d
    case copyDone = 0x63  // c
    case copyFail = 0x66  // f
    case terminate = 0x58  // X
}

extension ByteBuffer {
    /// Writes a typed frontend message, rolling back if its body throws.
    mutating func writeFrontendMessage(
        _ type: UInt8, _ writeBody: (inout ByteBuffer) throws(PGWireError) -> Void
    ) throws(PGWireError) {
        try writePGMessage(type: type, writeBody)
    }

    /// Writes a value's length as the protocol's Int32, which must fit: a larger value would
    /// otherwise trap the process rather than fail the one message.
    mutating func writeInt32Length(_ length: Int, message: String, field: String) throws(PGWireError) {
        guard let length = Int32(exactly: length) else {
            throw PGWireError(.messageTooLarge(length: length, maximum: Int(Int32.max)), message: message, field: field)
        }
        writeInteger(length)
    }

    /// Writes a list count as the protocol's Int16, which must fit.
    mutating func writeCount16(_ count: Int, message: String, field: String) throws(PGWireError) {
        guard count <= Int(UInt16.max) else {
            throw PGWireError(.invalidValue("\(count) items, more than 65535"), message: message, field: field)
        }
        writeInteger(UInt16(count))
    }
}
