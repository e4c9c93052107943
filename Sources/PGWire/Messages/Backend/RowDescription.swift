import NIOCore

extension BackendMessage {
    /// `T`: the columns of the rows that follow (or that a described statement would return).
    public struct RowDescription: Hashable, Sendable {
        /// One column of a row description.
        public struct Column: Hashable, Sendable {
            /// The column's name (or alias).
            public var name: String
            /// The OID of the table it comes from, or 0.
            public var tableOID: UInt32
            /// The column's attribute number in that table, or 0.
            public var columnAttributeNumber: Int16
            /// The column's data type.
            public var dataType: PGDataType
            /// The type's size (`pg_type.typlen`); negative for variable-length types.
            public var dataTypeSize: Int16
            /// The type modifier (`pg_attribute.atttypmod`), e.g. precision and scale of numeric.
            public var typeModifier: Int32
            /// The format the values arrive in.
            public var format: PGFormat

            /// Creates a column description.
            public init(
                name: String, tableOID: UInt32 = 0, columnAttributeNumber: Int16 = 0,
                dataType: PGDataType, dataTypeSize: Int16 = -1, typeModifier: Int32 = -1,
                format: PGFormat
            ) {
                self.name = name
                self.tableOID = tableOID
                self.columnAttributeNumber = columnAttributeNumber
                self.dataType = dataType
                self.dataTypeSize = dataTypeSize
                self.typeModifier = typeModifier
                self.format = format
            }
        }

        /// The columns, in order.
        public var columns: [Column]

        /// Creates a row description.
        public init(columns: [Column]) { self.columns = columns }
    }
}

extension BackendMessage.RowDescription: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        let count = try reader.readCount16("columnCount")
        // Each column takes at least 19 bytes: an empty name's NUL and 18 bytes of fixed fields.
        try reader.checkCount(count, minimumSize: 19, "columns")
        var columns: [Column] = []
        columns.reserveCapacity(count)
        for _ in 0..<count {
            columns.append(
                Column(
                    name: try reader.readCString("name"),
                    tableOID: try reader.readUInt32("tableOID"),
                    columnAttributeNumber: try reader.readInt16("columnAttributeNumber"),
                    dataType: PGDataType(try reader.readUInt32("dataType")),
                    dataTypeSize: try reader.readInt16("dataTypeSize"),
                    typeModifier: try reader.readInt32("typeModifier"),
                    format: try reader.readFormat("format")))
        }
        return Self(columns: columns)
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int16(truncatingIfNeeded: columns.count))
        for column in columns {
            buffer.writeString(column.name)
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(column.tableOID)
            buffer.writeInteger(column.columnAttributeNumber)
            buffer.writeInteger(column.dataType.rawValue)
            buffer.writeInteger(column.dataTypeSize)
            buffer.writeInteger(column.typeModifier)
            buffer.writeInteger(column.format.rawValue)
        }
    }
}
