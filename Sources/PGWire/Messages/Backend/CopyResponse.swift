import NIOCore

extension BackendMessage {
    /// `G`, `H` or `W`: the server starts a COPY and says the format of the data.
    ///
    /// The three messages share one layout; the ``BackendMessage`` case says which one arrived.
    public struct CopyResponse: Hashable, Sendable {
        /// The overall format: ``PGFormat/text`` (text or CSV) or ``PGFormat/binary``.
        public var format: PGFormat
        /// The format of each column; all text when ``format`` is text.
        public var columnFormats: [PGFormat]

        /// Creates a COPY response.
        public init(format: PGFormat, columnFormats: [PGFormat]) {
            self.format = format
            self.columnFormats = columnFormats
        }

        static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
            let formatCode = try reader.readUInt8("format")
            guard let format = PGFormat(rawValue: Int16(formatCode)) else {
                throw reader.error(.invalidValue("format code \(formatCode)"), "format")
            }
            let count = try reader.readCount16("columnCount")
            try reader.checkCount(count, minimumSize: 2, "columnFormats")
            var formats: [PGFormat] = []
            formats.reserveCapacity(count)
            for _ in 0..<count {
                formats.append(try reader.readFormat("columnFormats"))
            }
            return Self(format: format, columnFormats: formats)
        }

        func encodeBody(into buffer: inout ByteBuffer) {
            buffer.writeInteger(UInt8(truncatingIfNeeded: format.rawValue))
            buffer.writeInteger(Int16(truncatingIfNeeded: columnFormats.count))
            for columnFormat in columnFormats {
                buffer.writeInteger(columnFormat.rawValue)
            }
        }
    }
}

extension MessageReader {
    /// Reads an Int16 format code, which must be 0 (text) or 1 (binary).
    mutating func readFormat(_ field: String) throws(PGWireError) -> PGFormat {
        let code = try readInt16(field)
        guard let format = PGFormat(rawValue: code) else {
            throw error(.invalidValue("format code \(code)"), field)
        }
        return format
    }
}
