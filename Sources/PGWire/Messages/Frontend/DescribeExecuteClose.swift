import NIOCore

extension FrontendMessage {
    /// What a Describe or Close names: a prepared statement (`S`) or a portal (`P`).
    public enum Target: UInt8, Hashable, Sendable {
        /// `S`: a prepared statement.
        case statement = 0x53
        /// `P`: a portal.
        case portal = 0x50
    }

    /// `D`: asks for a statement's parameter and row descriptions, or a portal's row description.
    public struct Describe: Hashable, Sendable {
        /// Whether ``name`` is a statement or a portal.
        public var target: Target
        /// The statement's or portal's name; the empty string is the unnamed one.
        public var name: String

        /// Creates the message.
        public init(_ target: Target, name: String = "") {
            self.target = target
            self.name = name
        }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try TargetedMessage.write(FrontendMessageType.describe, target, name, "Describe", into: &buffer)
        }
    }

    /// `C`: closes a prepared statement or portal, freeing it on the server.
    public struct Close: Hashable, Sendable {
        /// Whether ``name`` is a statement or a portal.
        public var target: Target
        /// The statement's or portal's name; the empty string is the unnamed one.
        public var name: String

        /// Creates the message.
        public init(_ target: Target, name: String = "") {
            self.target = target
            self.name = name
        }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try TargetedMessage.write(FrontendMessageType.close, target, name, "Close", into: &buffer)
        }
    }

    /// `E`: runs a bound portal.
    public struct Execute: Hashable, Sendable {
        /// The portal's name; the empty string is the unnamed portal.
        public var portalName: String
        /// The most rows to return, 0 for all. When the limit is hit the server sends
        /// PortalSuspended and the portal can be executed again for more.
        public var maxRows: Int32

        /// Creates the message.
        public init(portalName: String = "", maxRows: Int32 = 0) {
            self.portalName = portalName
            self.maxRows = maxRows
        }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try buffer.writeFrontendMessage(FrontendMessageType.execute.rawValue) { (body) throws(PGWireError) in
                try body.writeCString(portalName, message: "Execute", field: "portalName")
                body.writeInteger(maxRows)
            }
        }
    }
}

/// The layout Describe and Close share: a target byte and a name.
enum TargetedMessage {
    static func write(
        _ type: FrontendMessageType, _ target: FrontendMessage.Target, _ name: String,
        _ message: String, into buffer: inout ByteBuffer
    ) throws(PGWireError) {
        try buffer.writeFrontendMessage(type.rawValue) { (body) throws(PGWireError) in
            body.writeInteger(target.rawValue)
            try body.writeCString(name, message: message, field: "name")
        }
    }

    static func read(from reader: inout MessageReader) throws(PGWireError) -> (FrontendMessage.Target, String) {
        let byte = try reader.readUInt8("target")
        guard let target = FrontendMessage.Target(rawValue: byte) else {
            throw reader.error(.invalidValue(PGWireError.describe(byte: byte)), "target")
        }
        return (target, try reader.readCString("name"))
    }
}
