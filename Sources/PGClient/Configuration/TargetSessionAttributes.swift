extension PGConfig {
    /// libpq's `target_session_attrs`: which of several hosts is acceptable once connected.
    ///
    /// ```swift
    /// let config = try PGConfig("postgres://db1,db2/ledger?target_session_attrs=read-write")
    /// config.targetSessionAttributes  // .readWrite
    /// ```
    public enum TargetSessionAttributes: String, CaseIterable, Hashable, Sendable {
        /// Any server.
        case any
        /// A server that accepts writes (`default_transaction_read_only` off, not in recovery).
        case readWrite = "read-write"
        /// A server that refuses writes by default.
        case readOnly = "read-only"
        /// A server not in hot standby.
        case primary
        /// A server in hot standby.
        case standby
        /// A standby if one answers, else any server.
        case preferStandby = "prefer-standby"
    }
}
