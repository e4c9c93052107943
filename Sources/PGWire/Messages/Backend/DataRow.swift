public import NIOCore

extension BackendMessage {
    /// `D`: one row, as a view into the received bytes.
    ///
    /// The decoder checks the row's framing once (each column's length fits in the message), so
    /// walking the columns later cannot fail. Nothing is allocated or copied per row: the columns
    /// are read in place, each only when asked for. Iterating is O(1) per column; `column(at:)`
    /// walks from the first column.
    ///
    /// ```swift
    /// for value in row { print(value?.readableBytes ?? -1) }  // nil is SQL NULL
    /// ```
    public struct DataRow: Hashable, Sendable, Collection {
        /// A position in the row: the offset of a column's length field in ``bytes``.
        public struct Index: Comparable, Hashable, Sendable {
            let offset: Int
            public static func < (lhs: Self, rhs: Self) -> Bool { lhs.offset < rhs.offset }
        }

        /// The number of columns.
        public let columnCount: Int
        /// The columns: for each an Int32 length (-1 for NULL) and that many bytes.
        public let bytes: ByteBuffer

        /// Creates a row from column values; `nil` is SQL NULL.
        public init(columns: [ByteBuffer?]) {
            var bytes = ByteBuffer()
            for column in columns {
                if let value = column {
                    bytes.writeInteger(Int32(value.readableBytes))
                    bytes.writeImmutableBuffer(value)
                } else {
                    bytes.writeInteger(Int32(-1))
                }
            }
            self.columnCount = columns.count
            self.bytes = bytes
        }

        init(validatedColumnCount: Int, bytes: ByteBuffer) {
            self.columnCount = validatedColumnCount
            self.bytes = bytes
        }

        public var startIndex: Index { Index(offset: bytes.readerIndex) }
        public var endIndex: Index { Index(offset: bytes.writerIndex) }
        public var count: Int { columnCount }

        public func index(after index: Index) -> Index {
            let length = bytes.getInteger(at: index.offset, as: Int32.self) ?? 0
            return Index(offset: index.offset + 4 + Swift.max(Int(length), 0))
        }

        /// The value at `index`, or `nil` for SQL NULL.
        public subscript(index: Index) -> ByteBuffer? {
            valueAndNextIndex(at: index).value
        }

        /// The value at `index` (`nil` for SQL NULL) and the index after it, reading the
        /// column's length once: what iterating needs at each step.
        public func valueAndNextIndex(at index: Index) -> (value: ByteBuffer?, next: Index) {
            guard let length = bytes.getInteger(at: index.offset, as: Int32.self), length >= 0 else {
                return (nil, Index(offset: index.offset + 4))
            }
            let value = bytes.getSlice(at: index.offset + 4, length: Int(length))
            return (value, Index(offset: index.offset + 4 + Int(length)))
        }

        /// The value of the column at zero-based position `position`, or `nil` for SQL NULL or a
        /// position past the last column.
        public func column(at position: Int) -> ByteBuffer? {
            guard position >= 0, position < columnCount else { return nil }
            // The lengths before it are read through one pointer rather than one buffer read each.
            let found: (offset: Int, length: Int)? = bytes.withUnsafeReadableBytes { raw in
                var offset = 0
                for _ in 0..<position {
                    guard raw.count - offset >= 4 else { return nil }
                    let length = Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
                    offset += 4 + Swift.max(Int(length), 0)
                }
                guard raw.count - offset >= 4 else { return nil }
                let length = Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
                return (offset, Int(length))
            }
            guard let found, found.length >= 0 else { return nil }
            return bytes.getSlice(at: bytes.readerIndex + found.offset + 4, length: found.length)
        }

        /// Iterates the values in order, reading each column's length once.
        public func makeIterator() -> Iterator { Iterator(row: self, index: startIndex) }

        /// The values of a row in order; `nil` is SQL NULL.
        public struct Iterator: IteratorProtocol, Sendable {
            let row: DataRow
            var index: Index

            /// The next value (`.some(nil)` for SQL NULL), or `nil` after the last column.
            public mutating func next() -> ByteBuffer?? {
                guard index < row.endIndex else { return nil }
                let (value, next) = row.valueAndNextIndex(at: index)
                index = next
                return .some(value)
            }
        }
    }
}

extension BackendMessage.DataRow: BackendMessagePayload {

    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self {
        let count = try reader.readCount16("columnCount")
        try reader.checkCount(count, minimumSize: 4, "columns")
        let bytes = reader.readRest()
        try validateColumns(count, in: bytes)
        return Self(validatedColumnCount: count, bytes: bytes)
    }

    /// Checks that `bytes` holds exactly `count` columns, each an Int32 length (-1 for NULL)
    /// and that many bytes; read in place, so that a row costs no buffer copies.
    static func validateColumns(_ count: Int, in bytes: ByteBuffer) throws(PGWireError) {
        let failure = bytes.withUnsafeReadableBytes { columnsFailure(count, in: $0) }
        guard let failure else { return }
        let field = failure.index >= 0 ? "column \(failure.index)" : nil
        throw PGWireError(failure.kind, message: BackendMessageKind.dataRow.name, field: field)
    }

    /// What is wrong with `raw` as exactly `count` columns, each an Int32 length (-1 for NULL)
    /// and that many bytes: the column where it breaks (-1 for bytes left over) and how; `nil`
    /// when nothing is.
    static func columnsFailure(
        _ count: Int, in raw: UnsafeRawBufferPointer
    ) -> (index: Int, kind: PGWireError.Kind)? {
        var offset = 0
        for index in 0..<count {
            guard raw.count - offset >= 4 else { return (index, .fieldOverrun) }
            let length = Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
            offset += 4
            if length == -1 { continue }
            guard length >= 0 else { return (index, .invalidValue("length \(length)")) }
            guard raw.count - offset >= Int(length) else { return (index, .fieldOverrun) }
            offset += Int(length)
        }
        return offset == raw.count ? nil : (-1, .trailingBytes(raw.count - offset))
    }

    func encodeBody(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int16(truncatingIfNeeded: columnCount))
        buffer.writeImmutableBuffer(bytes)
    }
}
