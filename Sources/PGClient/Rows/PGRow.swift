public import NIOCore
public import PGWire

/// One row of a result: a view into the received bytes, decoded column by column on request.
///
/// ```swift
/// for try await row in try await connection.query("SELECT id, name FROM users") {
///     let (id, name) = try row.decode((UUID, String).self)
///     let email = try row.decode(String?.self, column: "email")
/// }
/// ```
public struct PGRow: Sendable, Hashable {
    /// The row's values.
    public let dataRow: BackendMessage.DataRow
    /// The result's columns.
    public let columns: PGColumns

    /// Creates a row from its values and the result's columns.
    public init(dataRow: BackendMessage.DataRow, columns: PGColumns) {
        self.dataRow = dataRow
        self.columns = columns
    }

    /// The number of columns.
    public var count: Int { dataRow.columnCount }

    // Inlinable so that it specializes in the caller's module for the caller's type: as a call
    // to the unspecialized generic, every value was decoded through witness tables.

    /// Decodes the column at zero-based `position`.
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/decoding`` naming the column, when it is
    ///   NULL and `Value` is not optional, of another type, or malformed; or when there is no
    ///   such column.
    @inlinable
    public func decode<Value: PGDecodable>(_ type: Value.Type = Value.self, at position: Int) throws(PGError) -> Value {
        guard position >= 0, position < count, position < columns.count else {
            throw PGError(.decoding, message: "no column at position \(position); the row has \(count)", requestWasSent: true)
        }
        return try Self.decode(Value.self, dataRow.column(at: position), columns, position)
    }

    /// Decodes the first column called `name`.
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/decoding`` naming the column, when there is
    ///   none of that name or its value does not decode as `Value`.
    public func decode<Value: PGDecodable>(_ type: Value.Type = Value.self, column name: String) throws(PGError) -> Value {
        guard let position = columns.position(of: name) else {
            throw PGError(
                .decoding, message: "no column named \"\(name)\"; the columns are \(columns.names.joined(separator: ", "))",
                requestWasSent: true)
        }
        return try decode(Value.self, at: position)
    }

    /// Decodes the columns, in order, into a tuple (one column needs no tuple).
    ///
    /// ```swift
    /// let (id, amount, memo) = try row.decode((Int64, PGNumeric, String?).self)
    /// ```
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/decoding`` naming the first column that
    ///   fails, or when the row has fewer columns than the tuple.
    @inlinable
    public func decode<each Value: PGDecodable>(_ types: (repeat each Value).Type) throws(PGError) -> (repeat each Value) {
        // Inlinable and without a nested function: specialized in the caller for the tuple's
        // types, with the row borrowed rather than copied into a closure context.
        var cursor = Cursor(index: dataRow.startIndex)
        return (repeat try Self.decodeNext((each Value).self, of: self, at: &cursor))
    }

    /// Where a tuple decode has got to in the row.
    @usableFromInline
    struct Cursor {
        @usableFromInline var index: BackendMessage.DataRow.Index
        @usableFromInline var position = 0

        @inlinable
        init(index: BackendMessage.DataRow.Index) { self.index = index }
    }

    @inlinable
    static func decodeNext<Column: PGDecodable>(
        _ type: Column.Type, of row: PGRow, at cursor: inout Cursor
    ) throws(PGError) -> Column {
        guard cursor.position < row.count, cursor.position < row.columns.count else {
            throw PGError(.decoding, message: "the row has \(row.count) columns, fewer than the tuple", requestWasSent: true)
        }
        let (bytes, next) = row.dataRow.valueAndNextIndex(at: cursor.index)
        let value = try decode(Column.self, bytes, row.columns, cursor.position)
        cursor.index = next
        cursor.position += 1
        return value
    }

    /// Decodes one value of the column at `position` (which the caller checked exists).
    ///
    /// The column's name is looked up only for an error, so that a value decoded without one
    /// does not retain and release the name.
    @inlinable
    static func decode<Value: PGDecodable>(
        _ type: Value.Type, _ bytes: ByteBuffer?, _ columns: PGColumns, _ position: Int
    ) throws(PGError) -> Value {
        let valueType = columns.valueTypes[position]
        do throws(PGDecodingError) {
            return try Value.decode(
                from: bytes, type: valueType.dataType, format: valueType.format, columnName: nil,
                columnIndex: position)
        } catch {
            var located = error
            if located.columnName == nil { located.columnName = columns.descriptions[position].name }
            throw PGError(.decoding, message: "\(located)", requestWasSent: true)
        }
    }

    public static func == (lhs: PGRow, rhs: PGRow) -> Bool {
        lhs.dataRow == rhs.dataRow && lhs.columns.descriptions == rhs.columns.descriptions
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dataRow)
    }
}
