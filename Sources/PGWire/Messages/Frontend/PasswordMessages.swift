import NIOCore

extension FrontendMessage {
    /// `p`: a password, in clear text or as an MD5 response (`"md5" + hex digest`).
    public struct PasswordMessage: Hashable, Sendable {
        /// The password or MD5 response, sent NUL-terminated.
        public var password: String

        /// Creates a password message.
        public init(password: String) { self.password = password }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try buffer.writeFrontendMessage(FrontendMessageType.password.rawValue) { (body) throws(PGWireError) in
                try body.writeCString(password, message: "PasswordMessage", field: "password")
            }
        }
    }

    /// `p`: the first SASL message: the mechanism chosen from the server's list and the
    /// mechanism's initial response (SCRAM's client-first-message).
    public struct SASLInitialResponse: Hashable, Sendable {
        /// The chosen mechanism (`SCRAM-SHA-256` or `SCRAM-SHA-256-PLUS`).
        public var mechanism: String
        /// The initial response, or `nil` for none (sent as length -1).
        public var initialResponse: [UInt8]?

        /// Creates the message.
        public init(mechanism: String, initialResponse: [UInt8]?) {
            self.mechanism = mechanism
            self.initialResponse = initialResponse
        }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try buffer.writeFrontendMessage(FrontendMessageType.password.rawValue) { (body) throws(PGWireError) in
                try body.writeCString(mechanism, message: "SASLInitialResponse", field: "mechanism")
                if let initialResponse {
                    try body.writeInt32Length(initialResponse.count, message: "SASLInitialResponse", field: "initialResponse")
                    body.writeBytes(initialResponse)
                } else {
                    body.writeInteger(Int32(-1))
                }
            }
        }

        static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
            let mechanism = try reader.readCString("mechanism")
            let response = try reader.readLengthPrefixed("initialResponse")
            return Self(mechanism: mechanism, initialResponse: response.map { Array($0.readableBytesView) })
        }
    }

    /// `p`: a later SASL message (SCRAM's client-final-message).
    public struct SASLResponse: Hashable, Sendable {
        /// The mechanism's data.
        public var data: [UInt8]

        /// Creates the message.
        public init(data: [UInt8]) { self.data = data }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try buffer.writeFrontendMessage(FrontendMessageType.password.rawValue) { body in
                body.writeBytes(data)
            }
        }
    }
}
