public import NIOCore

/// Splits a client's byte stream into ``FrontendMessage`` values: what a server or a proxy reads.
///
/// pgwire-swift uses it to check its own encoder against transcripts of real sessions and to
/// drive scripted test servers. Like ``BackendMessageDecoder`` it is incremental and never trusts
/// a length. The first messages of a stream have no type byte (StartupMessage, SSLRequest,
/// GSSENCRequest, CancelRequest); the decoder expects those until a StartupMessage arrives.
///
/// The type byte `p` is shared by PasswordMessage, SASLInitialResponse and SASLResponse; only
/// the conversation tells them apart, so the reader sets ``passwordMessageKind`` from the
/// authentication request it saw.
public struct FrontendMessageDecoder: Sendable {
    /// How to read a `p` message.
    public enum PasswordMessageKind: Hashable, Sendable {
        /// As a PasswordMessage (cleartext or MD5).
        case password
        /// As a SASLInitialResponse.
        case saslInitialResponse
        /// As a SASLResponse.
        case saslResponse
    }

    /// The largest message accepted, counting the length field.
    public var maximumMessageSize: Int
    /// Whether the next message is a startup-family message without a type byte.
    public var expectsStartupMessage = true
    /// How the next `p` message is read.
    public var passwordMessageKind = PasswordMessageKind.password

    /// Startup-family messages are small; libpq's server side allows 10,000 bytes.
    static let maximumStartupMessageSize = 10_000

    /// Creates a decoder that expects a startup-family message first.
    public init(maximumMessageSize: Int = BackendMessageDecoder.defaultMaximumMessageSize) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// Decodes the next message from `buffer`, consuming its bytes only when it is complete.
    ///
    /// - Returns: the message, or `nil` (with `buffer` untouched) when it is not complete yet.
    /// - Throws: ``PGWireError`` when the bytes break the protocol.
    public mutating func decode(from buffer: inout ByteBuffer) throws(PGWireError) -> FrontendMessage? {
        expectsStartupMessage ? try decodeStartupFamily(from: &buffer) : try decodeTyped(from: &buffer)
    }

    private mutating func decodeStartupFamily(from buffer: inout ByteBuffer) throws(PGWireError) -> FrontendMessage? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard length >= 8 else {
            throw PGWireError(.lengthTooSmall(Int(length)), message: "StartupMessage")
        }
        guard length <= Self.maximumStartupMessageSize else {
            throw PGWireError(
                .messageTooLarge(length: Int(length), maximum: Self.maximumStartupMessageSize),
                message: "StartupMessage")
        }
        guard buffer.readableBytes >= Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        let body = buffer.readSlice(length: Int(length) - 4) ?? ByteBuffer()
        var reader = MessageReader(body: body, message: "StartupMessage")
        let code = try reader.readInt32("protocolVersion")
        let message: FrontendMessage
        switch SpecialRequestCode(rawValue: code) {
        case .ssl:
            message = .sslRequest
        case .gssEncryption:
            message = .gssEncRequest
        case .cancel:
            reader = MessageReader(body: reader.buffer, message: "CancelRequest")
            let processID = try reader.readInt32("processID")
            let count = reader.remaining
            guard (4...BackendMessage.BackendKeyData.maximumSecretKeyLength).contains(count) else {
                throw reader.error(.invalidValue("secret key of \(count) bytes"), "secretKey")
            }
            let key = reader.readRest()
            message = .cancelRequest(.init(processID: processID, secretKey: Array(key.readableBytesView)))
        case nil:
            let version = ProtocolVersion(code: code)
            guard version.major == 3 else {
                throw reader.error(.invalidValue("protocol version \(version)"), "protocolVersion")
            }
            message = .startup(try .decode(from: &reader, version: version))
            expectsStartupMessage = false
        }
        try reader.finish()
        return message
    }

    private mutating func decodeTyped(from buffer: inout ByteBuffer) throws(PGWireError) -> FrontendMessage? {
        guard let header = MessageHeader(peekingAt: buffer) else { return nil }
        let (typeByte, length) = (header.type, header.length)
        guard let type = FrontendMessageType(rawValue: typeByte) else {
            throw PGWireError(.unknownMessageType(typeByte), message: "FrontendMessage")
        }
        let name = type.name(passwordKind: passwordMessageKind)
        guard length >= 4 else { throw PGWireError(.lengthTooSmall(Int(length)), message: name) }
        guard Int(length) <= maximumMessageSize else {
            throw PGWireError(.messageTooLarge(length: Int(length), maximum: maximumMessageSize), message: name)
        }
        guard buffer.readableBytes >= 1 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        let body = buffer.readSlice(length: Int(length) - 4) ?? ByteBuffer()
        var reader = MessageReader(body: body, message: name)
        let message: FrontendMessage
        switch type {
        case .password:
            switch passwordMessageKind {
            case .password: message = .password(.init(password: try reader.readCString("password")))
            case .saslInitialResponse: message = .saslInitialResponse(try .decode(from: &reader))
            case .saslResponse: message = .saslResponse(.init(data: Array(reader.readRest().readableBytesView)))
            }
        case .query: message = .query(.init(sql: try reader.readCString("sql")))
        case .parse: message = .parse(try .decode(from: &reader))
        case .bind: message = .bind(try .decode(from: &reader))
        case .describe:
            let (target, name) = try TargetedMessage.read(from: &reader)
            message = .describe(.init(target, name: name))
        case .execute:
            message = .execute(.init(portalName: try reader.readCString("portalName"), maxRows: try reader.readInt32("maxRows")))
        case .sync: message = .sync
        case .flush: message = .flush
        case .close:
            let (target, name) = try TargetedMessage.read(from: &reader)
            message = .close(.init(target, name: name))
        case .copyData: message = .copyData(.init(data: reader.readRest()))
        case .copyDone: message = .copyDone
        case .copyFail: message = .copyFail(.init(message: try reader.readCString("message")))
        case .terminate: message = .terminate
        }
        try reader.finish()
        return message
    }
}

extension FrontendMessageType {
    func name(passwordKind: FrontendMessageDecoder.PasswordMessageKind) -> String {
        switch self {
        case .password:
            switch passwordKind {
            case .password: "PasswordMessage"
            case .saslInitialResponse: "SASLInitialResponse"
            case .saslResponse: "SASLResponse"
            }
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
}
