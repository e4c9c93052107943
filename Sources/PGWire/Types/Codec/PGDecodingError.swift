/// A column value that could not be turned into the Swift type asked for.
///
/// The error names the column (when the value came from a row), the PostgreSQL type and wire
/// format of the value, and the Swift type it was decoded into, so that a log line says exactly
/// which value was wrong and why. Decoders never trap on bad bytes: every fault is one of these.
///
/// ```swift
/// do {
///     let amount = try PGNumeric.decode(from: cell, type: .numeric, format: .binary,
///                                       columnName: "amount", columnIndex: 2)
/// } catch {
///     print(error)   // "cannot decode column "amount" (#2, numeric, binary) as PGNumeric: ..."
/// }
/// ```
public struct PGDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the value.
    public enum Kind: Hashable, Sendable {
        /// The value was SQL NULL but the Swift type is not optional.
        case unexpectedNull
        /// The value's PostgreSQL type is not one the Swift type can be decoded from.
        case typeMismatch(expected: [PGDataType], actual: PGDataType)
        /// The value had the wrong number of bytes: `expected` is the exact size for fixed-size
        /// types, or the number of bytes still needed when a variable-size value was truncated.
        case invalidLength(expected: Int, actual: Int)
        /// The bytes were well-sized but do not form a valid value of the type.
        case invalidValue(reason: String)
        /// The value came in binary format and its type is one this connection does not know
        /// (a type created in the database that was not loaded with `PGConnection.loadTypes(_:)`):
        /// its bytes are never guessed to be text.
        case unknownType(PGDataType)
    }

    /// What was wrong.
    public var kind: Kind
    /// The PostgreSQL type the value was declared with.
    public var dataType: PGDataType
    /// The wire format the value arrived in.
    public var format: PGFormat
    /// The Swift type the value was being decoded into (`"Int32"`, `"PGNumeric"`).
    public var swiftType: String
    /// The column's name, when the value came from a row.
    public var columnName: String?
    /// The column's zero-based position in its row, when the value came from a row.
    public var columnIndex: Int?

    /// Creates an error for a value of `dataType` in `format` that could not become `swiftType`.
    public init(
        _ kind: Kind, dataType: PGDataType, format: PGFormat, swiftType: String,
        columnName: String? = nil, columnIndex: Int? = nil
    ) {
        self.kind = kind
        self.dataType = dataType
        self.format = format
        self.swiftType = swiftType
        self.columnName = columnName
        self.columnIndex = columnIndex
    }

    public var description: String {
        var place = "value"
        if let columnName {
            place = "column \"\(columnName)\""
        } else if columnIndex != nil {
            place = "column"
        }
        let index = columnIndex.map { "#\($0), " } ?? ""
        let format = format == .binary ? "binary" : "text"
        let head = "cannot decode \(place) (\(index)\(dataType), \(format)) as \(swiftType)"
        switch kind {
        case .unexpectedNull:
            return "\(head): the value is NULL but the type is not optional"
        case .typeMismatch(let expected, let actual) where expected.isEmpty:
            return "\(head): type \(actual) is not an array type"
        case .typeMismatch(let expected, let actual):
            let names = expected.map(\.description).joined(separator: ", ")
            return "\(head): type \(actual) is not one of \(names)"
        case .invalidLength(let expected, let actual):
            return "\(head): expected \(expected) bytes, got \(actual)"
        case .invalidValue(let reason):
            return "\(head): \(reason)"
        case .unknownType(let type):
            return "\(head): the binary form of \(type) is unknown to this connection; "
                + "load the type by name (PGConnection.loadTypes) or cast the value to text in SQL"
        }
    }
}
