import NIOCore

extension BackendMessage {
    /// `E`: the server reports an error; the current command is aborted.
    ///
    /// ```swift
    /// if case .errorResponse(let error) = message {
    ///     print(error.fields[.sqlState] ?? "", error.fields[.message] ?? "")
    /// }
    /// ```
    public struct ErrorResponse: Hashable, Sendable {
        /// Every field the server sent, by code.
        public var fields: [ResponseField: String]

        /// Creates an error response from its fields.
        public init(fields: [ResponseField: String]) { self.fields = fields }
    }

    /// `N`: a notice from the server (a warning or information); the command goes on.
    public struct NoticeResponse: Hashable, Sendable {
        /// Every field the server sent, by code.
        public var fields: [ResponseField: String]

        /// Creates a notice from its fields.
        public init(fields: [ResponseField: String]) { self.fields = fields }
    }
}

extension BackendMessage.ErrorResponse: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        Self(fields: try ResponseFieldList.decode(from: &reader))
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        ResponseFieldList.encode(fields, into: &buffer)
    }
}

extension BackendMessage.NoticeResponse: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        Self(fields: try ResponseFieldList.decode(from: &reader))
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        ResponseFieldList.encode(fields, into: &buffer)
    }
}

/// The body shared by ErrorResponse and NoticeResponse: code byte + string pairs, then a 0 byte.
enum ResponseFieldList {
    static func decode(from reader: inout MessageReader) throws(PGWireError) -> [ResponseField: String] {
        var fields: [ResponseField: String] = [:]
        while true {
            let code = try reader.readUInt8("field code")
            if code == 0 { return fields }
            let field = ResponseField(rawValue: code)
            fields[field] = try reader.readCString("field \(field)")
        }
    }

    /// The order in which PostgreSQL writes the fields (`send_message_to_frontend` in elog.c).
    static let serverOrder: [ResponseField] = [
        .localizedSeverity, .severity, .sqlState, .message, .detail, .hint, .locationContext,
        .schemaName, .tableName, .columnName, .dataTypeName, .constraintName, .position,
        .internalPosition, .internalQuery, .file, .line, .routine,
    ]

    /// Writes the fields in the order PostgreSQL sends them, then any unknown codes by code, so
    /// that encoding is deterministic and a message received from a server re-encodes to the
    /// same bytes.
    static func encode(_ fields: [ResponseField: String], into buffer: inout ByteBuffer) {
        let rank = { (field: ResponseField) -> Int in
            serverOrder.firstIndex(of: field) ?? serverOrder.count + Int(field.rawValue)
        }
        for (field, value) in fields.sorted(by: { rank($0.key) < rank($1.key) }) {
            buffer.writeInteger(field.rawValue)
            buffer.writeString(value)
            buffer.writeInteger(UInt8(0))
        }
        buffer.writeInteger(UInt8(0))
    }
}
