/// How a transaction starts: its isolation level and access mode.
///
/// ```swift
/// try await connection.withTransaction(.init(isolation: .serializable, readOnly: true)) { conn in … }
/// ```
public struct PGTransactionOptions: Sendable, Hashable {
    /// The SQL isolation levels PostgreSQL accepts.
    public enum IsolationLevel: String, Sendable, Hashable, CaseIterable {
        /// `READ UNCOMMITTED` (behaves as READ COMMITTED in PostgreSQL).
        case readUncommitted = "READ UNCOMMITTED"
        /// `READ COMMITTED`, PostgreSQL's default.
        case readCommitted = "READ COMMITTED"
        /// `REPEATABLE READ`.
        case repeatableRead = "REPEATABLE READ"
        /// `SERIALIZABLE`; be ready to retry on serialization failures (40001).
        case serializable = "SERIALIZABLE"
    }

    /// The isolation level, or `nil` for the session's default.
    public var isolation: IsolationLevel?
    /// `READ ONLY` when true, `READ WRITE` when false, the session's default when `nil`.
    public var readOnly: Bool?
    /// `DEFERRABLE` (with serializable read-only transactions), when true.
    public var deferrable: Bool?
    /// Whether the transaction's id is read at BEGIN (in the same round trip), so that a COMMIT
    /// whose outcome is lost with the connection can be resolved later: the
    /// ``PGError/Kind/commitStateUnknown`` error then carries ``PGError/transactionID``, which
    /// ``PGConnection/resolveCommit(_:)`` and ``PGPool/resolveCommit(_:)`` look up. It gives the
    /// transaction an id at once (one more for read-only ones, which otherwise take none).
    public var resolvableCommit: Bool

    /// Creates options; all default to the session's settings.
    public init(
        isolation: IsolationLevel? = nil, readOnly: Bool? = nil, deferrable: Bool? = nil,
        resolvableCommit: Bool = false
    ) {
        self.isolation = isolation
        self.readOnly = readOnly
        self.deferrable = deferrable
        self.resolvableCommit = resolvableCommit
    }

    /// The BEGIN statement for these options. Built from fixed keywords only.
    public var beginStatement: String {
        var modes: [String] = []
        if let isolation { modes.append("ISOLATION LEVEL \(isolation.rawValue)") }
        if let readOnly { modes.append(readOnly ? "READ ONLY" : "READ WRITE") }
        if let deferrable { modes.append(deferrable ? "DEFERRABLE" : "NOT DEFERRABLE") }
        return modes.isEmpty ? "BEGIN" : "BEGIN " + modes.joined(separator: ", ")
    }
}
