/// One versioned SQL file of the schema: `NNNN_name.sql`, applied once, in version order, in a
/// transaction of its own.
public struct Migration: Sendable, Hashable {
    /// The number before the first `_` of the file name.
    public let version: Int
    /// The rest of the file name, without `.sql`.
    public let name: String
    /// The file's statements.
    public let sql: String

    /// Creates a migration from its parts.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
