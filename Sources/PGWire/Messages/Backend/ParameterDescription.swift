import NIOCore

extension BackendMessage {
    /// `t`: the data types of a described statement's parameters.
    public struct ParameterDescription: Hashable, Sendable {
        /// One type per parameter, `$1` first.
        public var dataTypes: [PGDataType]

        /// Creates a parameter description.
        public init(dataTypes: [PGDataType]) { self.dataTypes = dataTypes }
    }
}

extension BackendMessage.ParameterDescription: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        // The count is an Int16 on the wire but the server sends up to 65535 parameters, so it is
        // read unsigned.
        let count = Int(UInt16(bitPattern: try reader.readInt16("parameterCount")))
        try reader.checkCount(count, minimumSize: 4, "dataTypes")
        var types: [PGDataType] = []
        types.reserveCapacity(count)
        for _ in 0..<count {
            types.append(PGDataType(try reader.readUInt32("dataType")))
        }
        return Self(dataTypes: types)
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt16(truncatingIfNeeded: dataTypes.count))
        for type in dataTypes {
            buffer.writeInteger(type.rawValue)
        }
    }
}
