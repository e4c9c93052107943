/// The columns of a result, shared by all its rows.
///
/// Built once per result (or once per cached statement), it also indexes the columns by name so
/// that looking a column up by name in each row costs a hash lookup, not a scan.
public final class PGColumns: Sendable {
    /// The columns as the server described them.
    public let descriptions: [BackendMessage.RowDescription.Column]
    /// The position of the first column with each name.
    private let positions: [String: Int]
    /// Each column's type and format, apart from the descriptions: reading them for every value
    /// of every row then copies no name (no retain and release per value).
    @usableFromInline package let valueTypes: [ValueType]
    /// Where `decode(as:)` finds each property, filled as rows are decoded.
    package let propertyPositions = PGPropertyPositions()

    /// What decoding a column's values needs.
    @usableFromInline
    package struct ValueType: Sendable {
        @usableFromInline package let dataType: PGDataType
        @usableFromInline package let format: PGFormat
    }

    /// Indexes a row description. Each column's values are decoded as the type `types` says
    /// their binary form is (``PGTypeRegistry/wireType(of:)``: an enum as `text`, say); the
    /// descriptions keep the server's types.
    public init(_ description: BackendMessage.RowDescription, types: PGTypeRegistry = PGTypeRegistry()) {
        self.descriptions = description.columns
        var positions: [String: Int] = [:]
        positions.reserveCapacity(description.columns.count)
        for (index, column) in description.columns.enumerated() where positions[column.name] == nil {
            positions[column.name] = index
        }
        self.positions = positions
        self.valueTypes = description.columns.map { column in
            ValueType(dataType: types.wireType(of: column.dataType), format: column.format)
        }
    }

    /// No columns: the result of a statement that returns no rows.
    public static let none = PGColumns(BackendMessage.RowDescription(columns: []))

    /// The number of columns.
    @inlinable
    public var count: Int { descriptions.count }

    /// The column names, in order.
    public var names: [String] { descriptions.map(\.name) }

    /// The position of the first column called `name`, or `nil`.
    public func position(of name: String) -> Int? { positions[name] }

    /// A description with every column's format set, for a statement whose Bind asks for
    /// `format` results (the described formats are those of the Describe, not of the Bind).
    package func withFormat(_ format: PGFormat) -> BackendMessage.RowDescription {
        BackendMessage.RowDescription(columns: descriptions.map { column in
            var column = column
            column.format = format
            return column
        })
    }
}
