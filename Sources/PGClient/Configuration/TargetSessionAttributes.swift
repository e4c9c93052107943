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

    /// libpq's `load_balance_hosts`: the order in which the hosts are tried.
    public enum LoadBalanceHosts: String, CaseIterable, Hashable, Sendable {
        /// In the order given.
        case disable
        /// In a random order, to spread connections over the hosts.
        case random
    }

    /// TCP keepalive settings (libpq's `keepalives`, `keepalives_idle`, `keepalives_interval`,
    /// `keepalives_count`); `nil` fields leave the operating system's default.
    public struct Keepalives: Hashable, Sendable {
        /// Whether keepalives are on (the default).
        public var isEnabled: Bool = true
        /// Idle time before the first probe.
        public var idle: Duration?
        /// Time between unanswered probes.
        public var interval: Duration?
        /// Unanswered probes before the connection counts as dead.
        public var count: Int?

        /// Creates keepalive settings.
        public init(
            isEnabled: Bool = true, idle: Duration? = nil, interval: Duration? = nil,
            count: Int? = nil
        ) {
            self.isEnabled = isEnabled
            self.idle = idle
            self.interval = interval
            self.count = count
        }
    }
}
