public import NIOCore

extension FrontendMessage {
    /// `Q`: a simple query, one or more SQL statements separated by semicolons.
    public struct Query: Hashable, Sendable {
        /// The SQL text.
        public var sql: String

        /// Creates a simple query.
        public init(sql: String) { self.sql = sql }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            let size = try Self.size(sql: sql)
            buffer.writeLayout(size: size) { writer in
                writer.write(FrontendMessageType.query.rawValue)
                writer.write(Int32(size - 1))
                writer.writeCString(sql)
            }
        }

        /// The bytes a Query with this text takes, type byte included, checking it as writing
        /// does.
        ///
        /// - Throws: ``PGWireError`` when the text contains a NUL or the message would exceed
        ///   the protocol's 2 GiB.
        static func size(sql: String) throws(PGWireError) -> Int {
            let size = 1 + 4 + (try MessageLayoutWriter.cStringSize(sql, message: "Query", field: "sql"))
            guard size - 1 <= Int(Int32.max) else {
                throw PGWireError(.messageTooLarge(length: size - 1, maximum: Int(Int32.max)), message: "Query")
            }
            return size
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
