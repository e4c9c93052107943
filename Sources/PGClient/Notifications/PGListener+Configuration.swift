extension PGListener {
    /// Where a listener connects and how it reconnects.
    ///
    /// ```swift
    /// var config = PGListener.Configuration(connection: try PGConfig("postgres://app@db/ledger"))
    /// config.reconnectBackoffMaximum = .seconds(30)
    /// config.maxConsecutiveFailures = 20   // then run() throws, and every sequence ends with the error
    /// ```
    public struct Configuration: Sendable {
        /// Where and how the listener's connection connects.
        public var connection: PGConfig
        /// The connection's options (timeouts, notice log level, telemetry).
        public var connectionOptions: PGConnection.Options
        /// The wait after the first failed connect; it doubles with each further failure.
        /// Default 100 ms.
        public var reconnectBackoffInitial: Duration
        /// The longest wait between connect attempts. Default 10 s.
        public var reconnectBackoffMaximum: Duration
        /// The largest part of each wait taken off at random, from 0 to 1, so that many listeners
        /// cut off together do not reconnect in step. Default 0.25.
        public var reconnectJitter: Double
        /// How many connects in a row may fail before the listener gives up: ``PGListener/run()``
        /// then throws the last failure and every sequence ends with it. `nil`, the default,
        /// retries for ever. A successful connect starts the count again.
        public var maxConsecutiveFailures: Int?

        /// Creates a configuration with the defaults above.
        public init(connection: PGConfig) {
            self.connection = connection
            self.connectionOptions = PGConnection.Options()
            self.reconnectBackoffInitial = .milliseconds(100)
            self.reconnectBackoffMaximum = .seconds(10)
            self.reconnectJitter = 0.25
            self.maxConsecutiveFailures = nil
        }

        /// The reconnect delays as a pure value.
        /// At least 1 ms, and a maximum no shorter than the first wait.
        var backoff: PGBackoff {
            let initial = max(.milliseconds(1), reconnectBackoffInitial)
            return PGBackoff(initial: initial, maximum: max(initial, reconnectBackoffMaximum), jitter: reconnectJitter)
        }
    }
}
