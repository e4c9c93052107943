public import NIOCore

extension FrontendMessage {
    /// `B`: binds parameter values to a prepared statement, making a portal ready to execute.
    ///
    /// Format codes follow the protocol's rules: an empty list means all text, one code applies
    /// to all, otherwise one per parameter (or result column).
    public struct Bind: Hashable, Sendable {
        /// The portal's name; the empty string is the unnamed portal.
        public var portalName: String
        /// The prepared statement's name; the empty string is the unnamed statement.
        public var statementName: String
        /// The formats of the parameter values.
        public var parameterFormats: [PGFormat]
        /// The parameter values, already encoded; `nil` is SQL NULL.
        public var parameters: [ByteBuffer?]
        /// The formats the result columns should come in.
        public var resultFormats: [PGFormat]

        /// Creates the message.
        public init(
            portalName: String = "", statementName: String = "",
            parameterFormats: [PGFormat] = [.binary], parameters: [ByteBuffer?] = [],
            resultFormats: [PGFormat] = [.binary]
        ) {
            self.portalName = portalName
            self.statementName = statementName
            self.parameterFormats = parameterFormats
            self.parameters = parameters
            self.resultFormats = resultFormats
        }

        func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
            try Self.write(
                into: &buffer, portalName: portalName, statementName: statementName,
                parameterFormats: parameterFormats, parameterCount: parameters.count,
                resultFormats: resultFormats
            ) { (body) throws(PGWireError) in
                for (index, parameter) in parameters.enumerated() {
                    if let parameter {
                        try body.writeInt32Length(parameter.readableBytes, message: "Bind", field: "parameter \(index)")
                        body.writeImmutableBuffer(parameter)
                    } else {
                        body.writeInteger(Int32(-1))
                    }
                }
            }
        }

        /// Writes a Bind whose parameter values `writeParameters` writes in place (each as an
        /// Int32 length, -1 for NULL, and the bytes), so a caller encodes values straight into the
        /// outgoing buffer with no intermediate copies.
        public static func write(
            into buffer: inout ByteBuffer, portalName: String, statementName: String,
            parameterFormats: [PGFormat], parameterCount: Int, resultFormats: [PGFormat],
            writeParameters: (inout ByteBuffer) throws(PGWireError) -> Void
        ) throws(PGWireError) {
            try buffer.writeFrontendMessage(FrontendMessageType.bind.rawValue) { (body) throws(PGWireError) in
                try body.writeCString(portalName, message: "Bind", field: "portalName")
                try body.writeCString(statementName, message: "Bind", field: "statementName")
                try body.writeFormats(parameterFormats, field: "parameterFormats")
                try body.writeCount16(parameterCount, message: "Bind", field: "parameters")
                try writeParameters(&body)
                try body.writeFormats(resultFormats, field: "resultFormats")
            }
        }

        static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
            let portal = try reader.readCString("portalName")
            let statement = try reader.readCString("statementName")
            let parameterFormats = try reader.readFormatList("parameterFormats")
            let count = Int(UInt16(bitPattern: try reader.readInt16("parameterCount")))
            try reader.checkCount(count, minimumSize: 4, "parameters")
            var parameters: [ByteBuffer?] = []
            parameters.reserveCapacity(count)
            for index in 0..<count {
                parameters.append(try reader.readLengthPrefixed("parameter \(index)"))
            }
            let resultFormats = try reader.readFormatList("resultFormats")
            return Self(
                portalName: portal, statementName: statement, parameterFormats: parameterFormats,
                parameters: parameters, resultFormats: resultFormats)
        }
    }
}

extension ByteBuffer {
    mutating func writeFormats(_ formats: [PGFormat], field: String) throws(PGWireError) {
        try writeCount16(formats.count, message: "Bind", field: field)
        for format in formats {
            writeInteger(format.rawValue)
        }
    }
}

extension MessageReader {
    mutating func readFormatList(_ field: String) throws(PGWireError) -> [PGFormat] {
        let count = Int(UInt16(bitPattern: try readInt16(field)))
        try checkCount(count, minimumSize: 2, field)
        var formats: [PGFormat] = []
        formats.reserveCapacity(count)
        for _ in 0..<count {
            formats.append(try readFormat(field))
        }
        return formats
    }
}
