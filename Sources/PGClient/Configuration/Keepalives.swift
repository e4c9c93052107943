extension PGConfig {
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
