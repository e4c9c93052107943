import NIOCore

/// The decisions of ``PGPool``, with no I/O: which waiter gets which connection, when to open or
/// close a connection, which timer to arm, which waiter to fail. Events go in (a caller wants a
/// connection, a connection came back, a timer fired) and ``Action``s come out; time is an
/// argument of each event, so every path is a unit test with a fake clock.
///
/// Rules it keeps:
/// - waiters are served first come, first served; a waiter that leaves (timeout, cancellation)
///   leaves at once;
/// - a connection is leased to one waiter at a time, and only when the machine knows it idle;
/// - at most `maxConnections` are open or opening; at least `minConnections` while running;
/// - after a failed connect, one connect at a time, after an exponential backoff.
struct PoolStateMachine<ConnectionID: Hashable & Sendable, Instant: InstantProtocol & Sendable>: Sendable
where Instant.Duration == Duration {
    let configuration: Configuration
    private(set) var lifecycle = Lifecycle.notStarted
    private(set) var connections: [ConnectionID: Connection] = [:]
    /// The idle connections, least recently used first; leases take the most recently used, so
    /// surplus connections stay idle and time out.
    private var idle: [ConnectionID] = []
    private var waiters = CircularBuffer<Waiter>()
    private(set) var connecting = 0
    private(set) var consecutiveConnectFailures = 0
    private var backoffUntil: Instant?
    private var armed: [Timer: Instant] = [:]

    init(configuration: Configuration) {
        self.configuration = configuration
        idle.reserveCapacity(configuration.maxConnections)
    }

    var counts: Counts {
        Counts(
            open: connections.count, idle: idle.count, leased: connections.count - idle.count - checkingCount,
            connecting: connecting, waiters: waiters.count)
    }

    private var checkingCount: Int {
        connections.values.reduce(0) { $0 + ($1.state == .checking ? 1 : 0) }
    }

    // MARK: Events

    /// The pool starts: open `minConnections`, and connections for early waiters.
    mutating func start(now: Instant) -> Actions {
        guard lifecycle == .notStarted else { return Actions() }
        lifecycle = .running
        var actions = Actions()
        refill(now: now, into: &actions)
        return actions
    }

    /// A caller wants a connection.
    mutating func requestConnection(_ waiter: WaiterID, now: Instant) -> Actions {
        switch lifecycle {
        case .shuttingDown, .shutDown:
            return Actions(.failWaiter(waiter, .shutdown))
        case .notStarted, .running:
            break
        }
        if let id = idle.popLast() {
            connections[id]?.state = .leased
            return Actions(.lease(id, to: waiter))
        }
        var actions = Actions()
        let deadline = now.advanced(by: configuration.acquireTimeout)
        waiters.append(Waiter(id: waiter, deadline: deadline))
        arm(.waiterDeadline, at: deadline, into: &actions)
        refill(now: now, into: &actions)
        return actions
    }

    /// The caller's task was cancelled; if it still waits, it leaves the queue.
    mutating func cancelWaiter(_ waiter: WaiterID) -> Actions {
        guard let index = waiters.firstIndex(where: { $0.id == waiter }) else { return Actions() }
        waiters.remove(at: index)
        return Actions(.failWaiter(waiter, .cancelled))
    }

    /// A leased connection came back clean (the shell has rolled back or reset it if needed).
    mutating func connectionReleased(_ id: ConnectionID, now: Instant) -> Actions {
        guard let connection = connections[id], connection.state == .leased else { return Actions() }
        return becameAvailable(id, connection, now: now)
    }

    /// A new connection is open (and set up); `lifetimeJitter` is a random number in 0..<1.
    mutating func connectionOpened(_ id: ConnectionID, now: Instant, lifetimeJitter: Double) -> Actions {
        connecting -= 1
        consecutiveConnectFailures = 0
        backoffUntil = nil
        let expiresAt = configuration.maxLifetime.map { lifetime in
            now.advanced(by: lifetime - configuration.maxLifetimeJitter * min(max(lifetimeJitter, 0), 1))
        }
        let connection = Connection(state: .leased, expiresAt: expiresAt, lastActivity: now, idleSince: now)
        guard lifecycle != .shuttingDown && lifecycle != .shutDown else {
            var actions = Actions(.closeConnection(id))
            completeShutdownIfDone(into: &actions)
            return actions
        }
        connections[id] = connection
        var actions = becameAvailable(id, connection, now: now)
        refill(now: now, into: &actions)
        return actions
    }

    /// A connect failed; `backoffJitter` is a random number in 0..<1 that shortens the backoff by
    /// up to a quarter, so that many pools do not retry in step.
    mutating func connectFailed(now: Instant, backoffJitter: Double) -> Actions {
        connecting -= 1
        var actions = Actions()
        guard lifecycle == .running else {
            completeShutdownIfDone(into: &actions)
            return actions
        }
        // Connects that were under way together fail together: one failure, one backoff.
        if let backoffUntil, now < backoffUntil { return actions }
        consecutiveConnectFailures += 1
        let delay = backoffDelay(failures: consecutiveConnectFailures, jitter: backoffJitter)
        let until = now.advanced(by: delay)
        backoffUntil = until
        arm(.reconnect, at: until, into: &actions)
        return actions
    }

    /// The connection closed or broke (server restart, terminated backend, failed reset or
    /// health check), in whatever state it was. The machine forgets it and replaces it if needed.
    mutating func connectionClosed(_ id: ConnectionID, now: Instant) -> Actions {
        guard connections.removeValue(forKey: id) != nil else { return Actions() }
        if let index = idle.firstIndex(of: id) { idle.remove(at: index) }
        var actions = Actions()
        switch lifecycle {
        case .running, .notStarted:
            refill(now: now, into: &actions)
        case .shuttingDown, .shutDown:
            completeShutdownIfDone(into: &actions)
        }
        return actions
    }

    /// A health check found the connection alive.
    mutating func healthCheckSucceeded(_ id: ConnectionID, now: Instant) -> Actions {
        guard var connection = connections[id], connection.state == .checking else { return Actions() }
        connection.lastActivity = now
        return becameAvailable(id, connection, now: now, keepIdleSince: true)
    }

    /// A timer fired (possibly late, or after it stopped mattering: that is harmless).
    mutating func timerFired(_ timer: Timer, now: Instant) -> Actions {
        armed[timer] = nil
        var actions = Actions()
        switch (timer, lifecycle) {
        case (.waiterDeadline, _):
            while let head = waiters.first, head.deadline <= now {
                waiters.removeFirst()
                actions.append(.failWaiter(head.id, .timeout))
            }
            if let head = waiters.first { arm(.waiterDeadline, at: head.deadline, into: &actions) }
        case (.housekeeping, .running):
            houseKeep(now: now, into: &actions)
        case (.reconnect, .running):
            if let backoffUntil, now < backoffUntil {
                arm(.reconnect, at: backoffUntil, into: &actions)
            } else {
                refill(now: now, into: &actions)
            }
        case (.shutdownDeadline, .shuttingDown):
            for id in Array(connections.keys) {
                connections[id] = nil
                actions.append(.closeConnection(id))
            }
            idle.removeAll()
            completeShutdownIfDone(into: &actions)
        default:
            break
        }
        return actions
    }

    /// Stop handing out connections: fail the waiters, close idle connections, and close the
    /// leased ones as they come back, or all at once after `gracePeriod` (now, when `.zero`).
    mutating func shutdown(now: Instant, gracePeriod: Duration?) -> Actions {
        var actions = Actions()
        switch lifecycle {
        case .shutDown:
            return actions
        case .shuttingDown:
            if gracePeriod == .zero { return timerFired(.shutdownDeadline, now: now) }
            return actions
        case .notStarted, .running:
            break
        }
        lifecycle = .shuttingDown
        while let waiter = waiters.popFirst() {
            actions.append(.failWaiter(waiter.id, .shutdown))
        }
        for id in idle {
            connections[id] = nil
            actions.append(.closeConnection(id))
        }
        idle.removeAll()
        if gracePeriod == .zero {
            actions.append(contentsOf: timerFired(.shutdownDeadline, now: now))
            return actions
        }
        if let gracePeriod, !connections.isEmpty {
            armed[.shutdownDeadline] = nil
            arm(.shutdownDeadline, at: now.advanced(by: gracePeriod), into: &actions)
        }
        completeShutdownIfDone(into: &actions)
        return actions
    }

    // MARK: Decisions

    /// A connection is free: expired ones close, a waiter gets it, or it becomes idle.
    private mutating func becameAvailable(
        _ id: ConnectionID, _ connection: Connection, now: Instant, keepIdleSince: Bool = false
    ) -> Actions {
        var connection = connection
        var actions = Actions()
        if lifecycle == .shuttingDown || lifecycle == .shutDown || isExpired(connection, now: now) {
            connections[id] = nil
            actions.append(.closeConnection(id))
            if lifecycle == .running { refill(now: now, into: &actions) } else { completeShutdownIfDone(into: &actions) }
            return actions
        }
        if let waiter = waiters.popFirst() {
            connection.state = .leased
            connections[id] = connection
            actions.append(.lease(id, to: waiter.id))
            return actions
        }
        connection.state = .idle
        if !keepIdleSince {
            connection.idleSince = now
            connection.lastActivity = now
        }
        connections[id] = connection
        idle.append(id)
        if let due = nextHousekeeping(for: connection) { arm(.housekeeping, at: due, into: &actions) }
        return actions
    }

    /// Opens connections for the waiters not covered by connects under way, and up to
    /// `minConnections`; after failures, one probe at a time once the backoff has passed.
    private mutating func refill(now: Instant, into actions: inout Actions) {
        guard lifecycle == .running else { return }
        let total = connections.count + connecting
        var wanted = max(configuration.minConnections - total, waiters.count - connecting)
        wanted = min(wanted, configuration.maxConnections - total)
        guard wanted > 0 else { return }
        if consecutiveConnectFailures > 0 {
            if let backoffUntil, now < backoffUntil { return }
            guard connecting == 0 else { return }
            wanted = 1
        }
        connecting += wanted
        for _ in 0..<wanted { actions.append(.createConnection) }
    }

    /// Closes expired and surplus idle connections, starts health checks, and arms the next round.
    private mutating func houseKeep(now: Instant, into actions: inout Actions) {
        var kept: [ConnectionID] = []
        kept.reserveCapacity(idle.count)
        for id in idle {
            guard var connection = connections[id] else { continue }
            let idleTooLong = configuration.idleTimeout.map { connection.idleSince.advanced(by: $0) <= now } ?? false
            if isExpired(connection, now: now) || (idleTooLong && connections.count > configuration.minConnections) {
                connections[id] = nil
                actions.append(.closeConnection(id))
            } else if let interval = configuration.healthCheckInterval, connection.lastActivity.advanced(by: interval) <= now {
                connection.state = .checking
                connections[id] = connection
                actions.append(.checkConnection(id))
            } else {
                kept.append(id)
            }
        }
        idle = kept
        refill(now: now, into: &actions)
        var next: Instant?
        for id in idle {
            guard let connection = connections[id], let due = nextHousekeeping(for: connection) else { continue }
            if next.map({ due < $0 }) ?? true { next = due }
        }
        if let next { arm(.housekeeping, at: next, into: &actions) }
    }

    /// The next instant something is due for an idle connection. An idle timeout counts only
    /// while the pool is above `minConnections`, so that a full-at-minimum pool sleeps.
    private func nextHousekeeping(for connection: Connection) -> Instant? {
        var due = connection.expiresAt
        if let timeout = configuration.idleTimeout, connections.count > configuration.minConnections {
            due = earliest(due, connection.idleSince.advanced(by: timeout))
        }
        if let interval = configuration.healthCheckInterval {
            due = earliest(due, connection.lastActivity.advanced(by: interval))
        }
        return due
    }

    private func earliest(_ a: Instant?, _ b: Instant) -> Instant {
        guard let a else { return b }
        return min(a, b)
    }

    private func isExpired(_ connection: Connection, now: Instant) -> Bool {
        connection.expiresAt.map { $0 <= now } ?? false
    }

    private func backoffDelay(failures: Int, jitter: Double) -> Duration {
        var delay = configuration.backoffInitial
        var step = 1
        while step < failures && delay < configuration.backoffMaximum {
            delay *= 2
            step += 1
        }
        delay = min(delay, configuration.backoffMaximum)
        return delay - delay * (0.25 * min(max(jitter, 0), 1))
    }

    /// Arms a timer unless it is already armed for an earlier (or the same) instant.
    private mutating func arm(_ timer: Timer, at instant: Instant, into actions: inout Actions) {
        if let current = armed[timer], current <= instant { return }
        armed[timer] = instant
        actions.append(.scheduleTimer(timer, at: instant))
    }

    private mutating func completeShutdownIfDone(into actions: inout Actions) {
        guard lifecycle == .shuttingDown, connections.isEmpty, connecting == 0 else { return }
        lifecycle = .shutDown
        armed.removeAll()
        actions.append(.shutdownCompleted)
    }
}
