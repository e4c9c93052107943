public import NIOCore

extension FrontendMessage {
    /// `Q`: a simple query, one or more SQL statements separated by semicolons.
    public struct Query: Hashable, Sendable {
        /// The SQL text.
        public var sql: String

        /// Creates a simple query.
        public init(sql: String) { self.sql = sql }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try buffer.writeFrontendMessage(FrontendMessageType.query.rawValue) { (body) throws(PGWireError) in
                try body.writeCString(sql, message: "Query", field: "sql")
            }
        }
    }

    /// `f`: aborts COPY FROM STDIN; the server fails the COPY with this message.
    public struct CopyFail: Hashable, Sendable {
        /// Why the client gave up.
        public var message: String

        /// Creates the message.
        public init(message: String) { self.message = message }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try buffer.writeFrontendMessage(FrontendMessageType.copyFail.rawValue) { (body) throws(PGWireError) in
                try body.writeCString(message, message: "CopyFail", field: "message")
            }
        }
    }

    /// `d`: a chunk of COPY FROM STDIN data. Chunks need not line up with rows.
    public struct CopyData: Hashable, Sendable {
        /// The bytes.
        public var data: ByteBuffer

        /// Creates the message.
        public init(data: ByteBuffer) { self.data = data }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try buffer.writeFrontendMessage(FrontendMessageType.copyData.rawValue) { body in
                body.writeImmutableBuffer(data)
            }
        }
    }
}
