import PGWire

/// One complete result of a simple query, held in memory: for control statements and small
/// results (`SET`, `BEGIN`, `SHOW`, multi-statement scripts), never for large ones.
public struct PGResultSet: Sendable, Hashable {
    /// The columns, or `nil` for a statement that returns no rows.
    public var columns: PGColumns?
    /// The rows, in the text format.
    public var rows: [PGRow]
    /// The command tag (`"SET"`, `"SELECT 1"`), or `nil` for an empty statement.
    public var commandTag: String?

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rows == rhs.rows && lhs.commandTag == rhs.commandTag && lhs.columns?.descriptions == rhs.columns?.descriptions
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rows)
        hasher.combine(commandTag)
    }
}

/// What a statement that returns no rows (or whose rows are not wanted) reports.
public struct PGCommandResult: Sendable, Hashable {
    /// The command tag (`"INSERT 0 3"`).
    public var commandTag: String
    /// The number of rows affected, for commands that report one.
    public var rowCount: Int64? { BackendMessage.CommandComplete(tag: commandTag).rowCount }
}

