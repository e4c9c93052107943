extension PoolStateMachine {
    /// The limits and timings the machine decides by (the pure part of ``PGPool/Configuration``).
    package struct Configuration: Sendable, Hashable {
        package var minConnections: Int
        package var maxConnections: Int
        package var acquireTimeout: Duration
        /// Idle connections above `minConnections` are closed after this long unused.
        package var idleTimeout: Duration?
        /// A connection is closed once this old (when idle, or when it comes back)…
        package var maxLifetime: Duration?
        /// …less up to this much, chosen at random per connection, so that connections opened
        /// together do not all expire together.
        package var maxLifetimeJitter: Duration
        /// An idle connection unused for this long is checked with a round trip.
        package var healthCheckInterval: Duration?
        /// The wait after the first failed connect; it doubles with each further failure…
        package var backoffInitial: Duration
        /// …up to this.
        package var backoffMaximum: Duration
        /// How many one-off statements may share one connection at once; 1 turns multiplexing
        /// off (a statement request is then an exclusive lease).
        package var statementsPerConnection: Int
        /// How many waiting ``LeaseKind/pipelinedStatement`` requests the next free connection
        /// takes together; 1 turns it off (such a request is then an exclusive lease).
        package var statementsPerHandoff: Int

        /// Creates a configuration; `statementsPerConnection` 1 turns multiplexing off,
        /// `statementsPerHandoff` 1 the pipelining of waiting statements.
        package init(
            minConnections: Int, maxConnections: Int, acquireTimeout: Duration, idleTimeout: Duration?,
            maxLifetime: Duration?, maxLifetimeJitter: Duration, healthCheckInterval: Duration?,
            backoffInitial: Duration, backoffMaximum: Duration, statementsPerConnection: Int = 1,
            statementsPerHandoff: Int = 1
        ) {
            self.minConnections = minConnections
            self.maxConnections = maxConnections
            self.acquireTimeout = acquireTimeout
            self.idleTimeout = idleTimeout
            self.maxLifetime = maxLifetime
            self.maxLifetimeJitter = maxLifetimeJitter
            self.healthCheckInterval = healthCheckInterval
            self.backoffInitial = backoffInitial
            self.backoffMaximum = backoffMaximum
            self.statementsPerConnection = statementsPerConnection
            self.statementsPerHandoff = statementsPerHandoff
        }

        package var multiplexes: Bool { statementsPerConnection > 1 }
        package var pipelinesWaitingStatements: Bool { statementsPerHandoff > 1 }

        /// The kind a request is served as: a kind whose feature is off is an exclusive lease.
        package func effective(_ kind: LeaseKind) -> LeaseKind {
            switch kind {
            case .exclusive: .exclusive
            case .statement: multiplexes ? .statement : .exclusive
            case .pipelinedStatement: pipelinesWaitingStatements ? .pipelinedStatement : .exclusive
            }
        }
    }

    /// What a caller asks for.
    package enum LeaseKind: Hashable, Sendable {
        /// The connection alone until it comes back (`withConnection`, `withTransaction`).
        case exclusive
        /// A place for one statement on a connection that other one-off statements may share
        /// (`query`, `execute` with multiplexing on).
        case statement
        /// A connection for one one-off statement that does not change the session (`query`,
        /// `execute` with multiplexing off): alone when one is free. When it has to wait, the
        /// next connection that comes free takes it together with the requests of this kind
        /// queued right behind it, up to `statementsPerHandoff`, their statements pipelined;
        /// nothing joins them afterwards. The connection comes back when the last one finishes.
        case pipelinedStatement
    }

    /// Who waits for a connection: a number the caller chooses, unique among live waiters.
    package typealias WaiterID = UInt64

    /// The machine's timers. Each kind has at most one deadline armed at a time.
    package enum Timer: Hashable, Sendable {
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
    package enum Failure: Hashable, Sendable {
        case timeout
        case cancelled
        case shutdown
    }

    /// What the I/O shell must do.
    package enum Action: Hashable, Sendable {
        /// Hand the connection to the waiter; it is leased (or, for a statement waiter, shared)
        /// from now on.
        case lease(ConnectionID, to: WaiterID)
        /// The last statement on a shared connection finished: take the connection back as a
        /// returned lease (clean check, cleanup) and report `connectionReleased` or
        /// `connectionClosed`. Until then nothing joins it.
        case reclaim(ConnectionID)
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

    package typealias Actions = InlineList<Action>

    /// Counts for metrics and tests.
    package struct Counts: Hashable, Sendable {
        package var open: Int
        package var idle: Int
        /// Connections lent out, exclusively or to statements.
        package var leased: Int
        package var connecting: Int
        package var waiters: Int
        /// Of the leased connections, those shared by one-off statements…
        package var shared: Int
        /// …and the statements running on them.
        package var statements: Int

        /// Creates counts; `shared` and `statements` stay 0 without multiplexing.
        package init(
            open: Int, idle: Int, leased: Int, connecting: Int, waiters: Int, shared: Int = 0, statements: Int = 0
        ) {
            self.open = open
            self.idle = idle
            self.leased = leased
            self.connecting = connecting
            self.waiters = waiters
            self.shared = shared
            self.statements = statements
        }
    }

    package enum Lifecycle: Hashable, Sendable {
        case notStarted
        case running
        case shuttingDown
        case shutDown
    }

    struct Connection: Hashable, Sendable {
        enum State: Hashable, Sendable {
            case idle
            case leased
            /// Lent to one-off statements; how many is in the machine's shared list.
            case shared
            case checking
        }

        var state: State
        /// The event loop the connection runs on, when the shell said.
        var affinity: PoolAffinity?
        var expiresAt: Instant?
        /// When the connection last became idle, or was last checked.
        var lastActivity: Instant
        var idleSince: Instant
    }

    struct Waiter: Hashable, Sendable {
        var id: WaiterID
        var deadline: Instant
        var kind: LeaseKind
        var affinity: PoolAffinity?
    }

    /// An idle connection, with its event loop so that a lease can prefer the caller's.
    struct IdleSlot: Hashable, Sendable {
        var id: ConnectionID
        var affinity: PoolAffinity?
    }

    /// A connection shared by one-off statements.
    struct SharedSlot: Hashable, Sendable {
        var id: ConnectionID
        var affinity: PoolAffinity?
        var statements: Int
        /// Whether further statements may join (multiplexing); `false` for the statements that a
        /// free connection took together from the queue.
        var acceptsMore: Bool
        /// Kept here so that joining skips an expired connection (which then drains and closes)
        /// without a dictionary lookup per candidate.
        var expiresAt: Instant?
    }
}

/// An opaque key for the thread (event loop) a connection runs on, or a caller runs on. The
/// machine only compares keys: a lease prefers a connection whose key equals the caller's, so
/// the caller's query needs no thread hop.
package struct PoolAffinity: Hashable, Sendable {
    package var rawValue: UInt

    package init(rawValue: UInt) {
        self.rawValue = rawValue
    }
}
