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
            var values = ByteBuffer()
            for (index, parameter) in parameters.enumerated() {
                if let parameter {
                    try values.writeInt32Length(parameter.readableBytes, message: "Bind", field: "parameter \(index)")
                    values.writeImmutableBuffer(parameter)
                } else {
                    values.writeInteger(Int32(-1))
                }
            }
            try Self.write(
                into: &buffer, portalName: portalName, statementName: statementName,
                parameterFormats: parameterFormats, parameterCount: parameters.count, encodedParameters: values,
                resultFormats: resultFormats)
        }

        /// Writes a Bind whose parameter values are already encoded, each as an Int32 length (-1
        /// for NULL) and its bytes, in one write of exactly the message's size.
        ///
        /// - Throws: ``PGWireError`` when a name contains a NUL, a list has more than 65535
        ///   entries, or the message would exceed the protocol's 2 GiB; the buffer is unchanged.
        public static func write(
            into buffer: inout ByteBuffer, portalName: String, statementName: String,
            parameterFormats: [PGFormat], parameterCount: Int, encodedParameters: ByteBuffer,
            resultFormats: [PGFormat]
        ) throws(PGWireError) {
            let size = try size(
                portalName: portalName, statementName: statementName, parameterFormats: parameterFormats,
                parameterCount: parameterCount, parameterBytes: encodedParameters.readableBytes,
                resultFormats: resultFormats)
            buffer.writeLayout(size: size) { writer in
                layout(
                    &writer, size: size, portalName: portalName, statementName: statementName,
                    parameterFormats: parameterFormats, parameterCount: parameterCount,
                    encodedParameters: .buffer(encodedParameters), resultFormats: resultFormats)
            }
        }

        /// The bytes a Bind with these fields takes, type byte included, checking them as
        /// ``write(into:portalName:statementName:parameterFormats:parameterCount:encodedParameters:resultFormats:)``
        /// does: a caller can know before writing that the write will succeed.
        ///
        /// - Throws: ``PGWireError`` when a name contains a NUL, a list has more than 65535
        ///   entries, or the message would exceed the protocol's 2 GiB.
        public static func size(
            portalName: String, statementName: String, parameterFormats: [PGFormat], parameterCount: Int,
            parameterBytes: Int, resultFormats: [PGFormat]
        ) throws(PGWireError) -> Int {
            let portal = try MessageLayoutWriter.cStringSize(portalName, message: "Bind", field: "portalName")
            let statement = try MessageLayoutWriter.cStringSize(statementName, message: "Bind", field: "statementName")
            try MessageLayoutWriter.checkCount16(parameterFormats.count, message: "Bind", field: "parameterFormats")
            try MessageLayoutWriter.checkCount16(parameterCount, message: "Bind", field: "parameters")
            try MessageLayoutWriter.checkCount16(resultFormats.count, message: "Bind", field: "resultFormats")
            let size = 1 + 4 + portal + statement + 2 + 2 * parameterFormats.count + 2 + parameterBytes + 2
                + 2 * resultFormats.count
            guard size - 1 <= Int(Int32.max) else {
                throw PGWireError(.messageTooLarge(length: size - 1, maximum: Int(Int32.max)), message: "Bind")
            }
            return size
        }

        /// Writes the message into reserved bytes, after ``size`` checked its fields.
        static func layout(
            _ writer: inout MessageLayoutWriter, size: Int, portalName: String, statementName: String,
            parameterFormats: [PGFormat], parameterCount: Int, encodedParameters: PGEncodedValues,
            resultFormats: [PGFormat]
        ) {
            writer.write(FrontendMessageType.bind.rawValue)
            writer.write(Int32(size - 1))
            layoutHead(
                &writer, portalName: portalName, statementName: statementName, parameterFormats: parameterFormats,
                parameterCount: parameterCount)
            encodedParameters.withUnsafeBytes { writer.write($0) }
            layoutTail(&writer, resultFormats: resultFormats)
        }

        /// The fields between the length and the values: the portal and statement names, the
        /// parameter formats and the parameter count.
        static func layoutHead(
            _ writer: inout MessageLayoutWriter, portalName: String, statementName: String,
            parameterFormats: [PGFormat], parameterCount: Int
        ) {
            writer.writeCString(portalName)
            writer.writeCString(statementName)
            writer.write(UInt16(parameterFormats.count))
            for format in parameterFormats { writer.write(UInt16(bitPattern: format.rawValue)) }
            writer.write(UInt16(parameterCount))
        }

        /// The fields after the values: the result formats.
        static func layoutTail(_ writer: inout MessageLayoutWriter, resultFormats: [PGFormat]) {
            writer.write(UInt16(resultFormats.count))
            for format in resultFormats { writer.write(UInt16(bitPattern: format.rawValue)) }
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
