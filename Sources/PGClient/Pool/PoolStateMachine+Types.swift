extension PoolStateMachine {
    /// The limits and timings the machine decides by (the pure part of ``PGPool/Configuration``).
    struct Configuration: Sendable, Hashable {
        var minConnections: Int
        var maxConnections: Int
        var acquireTimeout: Duration
        /// Idle connections above `minConnections` are closed after this long unused.
        var idleTimeout: Duration?
        /// A connection is closed once this old (when idle, or when it comes back)…
        var maxLifetime: Duration?
        /// …less up to this much, chosen at random per connection, so that connections opened
        /// together do not all expire together.
        var maxLifetimeJitter: Duration
        /// An idle connection unused for this long is checked with a round trip.
        var healthCheckInterval: Duration?
        /// The wait after the first failed connect; it doubles with each further failure…
        var backoffInitial: Duration
        /// …up to this.
        var backoffMaximum: Duration
    }

    /// Who waits for a connection: a number the caller chooses, unique among live waiters.
    typealias WaiterID = UInt64

    /// The machine's timers. Each kind has at most one deadline armed at a time.
    enum Timer: Hashable, Sendable {
        /// The deadline of the waiter at the head of the queue (all waiters share one timeout, so
        /// the head's deadline is always the earliest).
        case waiterDeadline
        /// The next idle-timeout, lifetime expiry or health check of an idle connection.
        case housekeeping
        /// The end of the connect backoff.
        case reconnect
        /// The end of the grace period of a shutdown: connections still leased are closed.
        case shutdownDeadline
    }

    /// Why a waiter gets no connection.
    enum Failure: Hashable, Sendable {
        case timeout
        case cancelled
        case shutdown
    }

    /// What the I/O shell must do.
    enum Action: Hashable, Sendable {
        /// Hand the connection to the waiter; it is leased from now on.
        case lease(ConnectionID, to: WaiterID)
        /// Fail the waiter; it has left the queue.
        case failWaiter(WaiterID, Failure)
        /// Open a new connection and report `connectionOpened` or `connectFailed`.
        case createConnection
        /// Close the connection; the machine has forgotten it.
        case closeConnection(ConnectionID)
        /// Check the idle connection with a round trip; report `healthCheckSucceeded` or
        /// `connectionClosed`.
        case checkConnection(ConnectionID)
        /// Call `timerFired` at this instant (replacing an earlier arming of the same timer).
        case scheduleTimer(Timer, at: Instant)
        /// The shutdown is complete: nothing is open, leased or connecting any more.
        case shutdownCompleted
    }

    typealias Actions = InlineList<Action>

    /// Counts for metrics and tests.
    struct Counts: Hashable, Sendable {
        var open: Int
        var idle: Int
        var leased: Int
        var connecting: Int
        var waiters: Int
    }

    enum Lifecycle: Hashable, Sendable {
        case notStarted
        case running
        case shuttingDown
        case shutDown
    }

    struct Connection: Hashable, Sendable {
        enum State: Hashable, Sendable {
            case idle
            case leased
            case checking
        }

        var state: State
        var expiresAt: Instant?
        /// When the connection last became idle, or was last checked.
        var lastActivity: Instant
        var idleSince: Instant
    }

    struct Waiter: Hashable, Sendable {
        var id: WaiterID
        var deadline: Instant
    }
}
