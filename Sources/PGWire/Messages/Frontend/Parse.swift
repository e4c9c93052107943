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
            try buffer.writeFrontendMessage(FrontendMessageType.parse.rawValue) { (body) throws(PGWireError) in
                try body.writeCString(statementName, message: "Parse", field: "statementName")
                try body.writeCString(query, message: "Parse", field: "query")
                try body.writeCount16(parameterTypes.count, message: "Parse", field: "parameterTypes")
                for type in parameterTypes {
                    body.writeInteger(type.rawValue)
                }
            }
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
