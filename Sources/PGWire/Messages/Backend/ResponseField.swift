/// The code of one field of an ErrorResponse or NoticeResponse.
///
/// The protocol names the fields below; a server may add codes a client does not know, which the
/// protocol says to ignore. Such codes are kept (as a `ResponseField` with that raw value) so
/// that nothing the server said is lost.
public struct ResponseField: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The field's code byte.
    public var rawValue: UInt8

    /// Wraps a field code.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `S`: severity, possibly localized (`ERROR`, `FEHLER`).
    public static let localizedSeverity = Self(rawValue: UInt8(ascii: "S"))
    /// `V`: severity, never localized (`ERROR`, `FATAL`, `PANIC`, `WARNING`, `NOTICE`, …).
    public static let severity = Self(rawValue: UInt8(ascii: "V"))
    /// `C`: the SQLSTATE code.
    public static let sqlState = Self(rawValue: UInt8(ascii: "C"))
    /// `M`: the primary message.
    public static let message = Self(rawValue: UInt8(ascii: "M"))
    /// `D`: the detail message.
    public static let detail = Self(rawValue: UInt8(ascii: "D"))
    /// `H`: the hint.
    public static let hint = Self(rawValue: UInt8(ascii: "H"))
    /// `P`: the error's position in the query string (1-based, in characters).
    public static let position = Self(rawValue: UInt8(ascii: "P"))
    /// `p`: the position in an internally generated command.
    public static let internalPosition = Self(rawValue: UInt8(ascii: "p"))
    /// `q`: the internally generated command that failed.
    public static let internalQuery = Self(rawValue: UInt8(ascii: "q"))
    /// `W`: the context (call stack) in which the error occurred.
    public static let locationContext = Self(rawValue: UInt8(ascii: "W"))
    /// `s`: the schema of the object involved.
    public static let schemaName = Self(rawValue: UInt8(ascii: "s"))
    /// `t`: the table involved.
    public static let tableName = Self(rawValue: UInt8(ascii: "t"))
    /// `c`: the column involved.
    public static let columnName = Self(rawValue: UInt8(ascii: "c"))
    /// `d`: the data type involved.
    public static let dataTypeName = Self(rawValue: UInt8(ascii: "d"))
    /// `n`: the constraint involved.
    public static let constraintName = Self(rawValue: UInt8(ascii: "n"))
    /// `F`: the server source file that reported the error.
    public static let file = Self(rawValue: UInt8(ascii: "F"))
    /// `L`: the line in that source file.
    public static let line = Self(rawValue: UInt8(ascii: "L"))
    /// `R`: the server routine that reported the error.
    public static let routine = Self(rawValue: UInt8(ascii: "R"))

    public var description: String { String(Unicode.Scalar(rawValue)) }
}
