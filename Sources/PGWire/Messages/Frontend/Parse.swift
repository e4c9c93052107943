import NIOCore

extension FrontendMessage {
    /// `P`: prepares a statement under a name (`""` for the unnamed statement).
    public struct Parse: Hashable, Sendable {
        /// The statement's name; the empty string is the unnamed statement.
        public var statementName: String
        /// The SQL text, with `$1`, `$2`, … for parameters.
        public var query: String
        /// Parameter types, `$1` first; ``PGDataType/unspecified`` or a shorter list lets the
        /// server infer the rest.
        public var parameterTypes: [PGDataType]

        /// Creates the message.
        public init(statementName: String = "", query: String, parameterTypes: [PGDataType] = []) {
            self.statementName = statementName
            self.query = query
            self.parameterTypes = parameterTypes
        }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try Self.write(into: &buffer, statementName: statementName, query: query, parameterTypes: parameterTypes)
        }

        /// Writes a Parse in one write of exactly the message's size.
        ///
        /// - Throws: ``PGWireError`` when the name or text contains a NUL, there are more than
        ///   65535 types, or the message would exceed the protocol's 2 GiB; the buffer is unchanged.
        static func write<Types: Collection<PGDataType>>(
            into buffer: inout ByteBuffer, statementName: String, query: String, parameterTypes: Types
        ) throws(PGWireError) {
            let size = try size(statementName: statementName, query: query, parameterTypeCount: parameterTypes.count)
            buffer.writeLayout(size: size) { writer in
                writer.write(FrontendMessageType.parse.rawValue)
                writer.write(Int32(size - 1))
                writer.writeCString(statementName)
                writer.writeCString(query)
                writer.write(UInt16(parameterTypes.count))
                for type in parameterTypes { writer.write(type.rawValue) }
            }
        }

        /// The bytes a Parse with these fields takes, type byte included, checking them as
        /// writing does: a caller can know before writing that the write will succeed.
        ///
        /// - Throws: ``PGWireError`` when the name or text contains a NUL, there are more than
        ///   65535 types, or the message would exceed the protocol's 2 GiB.
        static func size(statementName: String, query: String, parameterTypeCount: Int) throws(PGWireError) -> Int {
            let name = try MessageLayoutWriter.cStringSize(statementName, message: "Parse", field: "statementName")
            let text = try MessageLayoutWriter.cStringSize(query, message: "Parse", field: "query")
            try MessageLayoutWriter.checkCount16(parameterTypeCount, message: "Parse", field: "parameterTypes")
            let size = 1 + 4 + name + text + 2 + 4 * parameterTypeCount
            guard size - 1 <= Int(Int32.max) else {
                throw PGWireError(.messageTooLarge(length: size - 1, maximum: Int(Int32.max)), message: "Parse")
            }
            return size
        }

        static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
            let name = try reader.readCString("statementName")
            let query = try reader.readCString("query")
            let count = Int(UInt16(bitPattern: try reader.readInt16("parameterCount")))
            try reader.checkCount(count, minimumSize: 4, "parameterTypes")
            var types: [PGDataType] = []
            types.reserveCapacity(count)
            for _ in 0..<count {
                types.append(PGDataType(try reader.readUInt32("parameterType")))
            }
            return Self(statementName: name, query: query, parameterTypes: types)
        }
    }
}
