/// A transaction's id as the server counts them (`xid8`: 64 bits, never wrapping), read at BEGIN
/// when a transaction asks for a resolvable commit.
public struct PGTransactionID: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The id.
    public let rawValue: UInt64

    /// Wraps an id.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses the server's text form (`"7321"`); `nil` when it is not a number.
    public init?(_ text: String) {
        guard let value = UInt64(text) else { return nil }
        rawValue = value
    }

    public var description: String { String(rawValue) }
}

/// What became of a transaction whose COMMIT had an unknown outcome.
public enum PGCommitOutcome: String, Sendable, Hashable {
    /// It committed: its writes are in the database.
    case committed
    /// It was rolled back (or its session ended before COMMIT arrived): none of its writes are.
    case aborted
    /// It is still running: its session has not ended yet on the server. Ask again later.
    case inProgress = "in progress"
}
