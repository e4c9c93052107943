/// What a backup or restore reports while it runs, table by table.
public enum BackupProgress: Sendable, Equatable {
    /// A table's stream started.
    case tableStarted(table: String)
    /// More of a table's stream went through: rows and uncompressed bytes so far.
    case tableAdvanced(table: String, rows: Int, bytes: Int)
    /// A table's stream ended.
    case tableFinished(table: String, rows: Int, bytes: Int)
}
