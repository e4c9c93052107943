extension PoolStateMachine {
    /// A value for each of the machine's timers, such as the instant it is armed for.
    ///
    /// A field per timer: the pool looks a timer up for statements that wait, and a dictionary
    /// keyed by the timer hashed the key each time.
    package struct TimerTable<Value: Sendable>: Sendable {
        private var waiterDeadline: Value?
        private var housekeeping: Value?
        private var reconnect: Value?
        private var shutdownDeadline: Value?

        /// An empty table.
        package init() {}

        /// The value for `timer`, or `nil`; setting `nil` removes it.
        package subscript(timer: Timer) -> Value? {
            get {
                switch timer {
                case .waiterDeadline: waiterDeadline
                case .housekeeping: housekeeping
                case .reconnect: reconnect
                case .shutdownDeadline: shutdownDeadline
                }
            }
            set {
                switch timer {
                case .waiterDeadline: waiterDeadline = newValue
                case .housekeeping: housekeeping = newValue
                case .reconnect: reconnect = newValue
                case .shutdownDeadline: shutdownDeadline = newValue
                }
            }
        }

        /// Removes every value.
        package mutating func removeAll() {
            self = TimerTable()
        }
    }
}
