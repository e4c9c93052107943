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
///   with multiplexing (`statementsPerConnection` > 1) a connection may instead be *shared* by up
///   to that many one-off statements, never together with an exclusive holder;
/// - a statement takes an idle connection if there is one, else joins the least loaded shared
///   connection with room, else waits in the same queue as everyone; it joins only when nobody
///   waits, so a queued exclusive waiter is never overtaken and shared connections drain to it;
/// - a pipelined statement (`statementsPerHandoff` > 1) takes an idle connection alone, else
///   waits; a connection that comes free to one takes the pipelined statements queued right
///   behind it too, in order, up to `statementsPerHandoff`, and nobody joins them after that, so
///   no statement waits behind one that was already running when it arrived;
/// - among idle (or shared) connections, one on the caller's event loop is preferred, and a
///   statement from a caller on an event loop shares a connection on that loop before it takes
///   an idle one on another; this picks a connection, it never reorders waiters;
/// - at most `maxConnections` are open or opening; at least `minConnections` while running;
/// - after a failed connect, one connect at a time, after an exponential backoff.
package struct PoolStateMachine<ConnectionID: TableID & Hashable & Sendable, Instant: InstantProtocol & Sendable>: Sendable
where Instant.Duration == Duration {
    package let configuration: Configuration
    package private(set) var lifecycle = Lifecycle.notStarted
    private(set) var connections = IDTable<ConnectionID, Connection>()
    /// The idle connections, least recently used first; leases take the most recently used (on
    /// the caller's event loop, if one is), so surplus connections stay idle and time out.
    private var idle: [IdleSlot] = []
    /// The connections shared by one-off statements, with their statement counts.
    private var sharing: [SharedSlot] = []
    private var waiters = CircularBuffer<Waiter>()
    /// Of the waiters, those that want a connection of their own (exclusive or pipelined).
    private var exclusiveWaiters = 0
    /// The statements running on shared connections, for the counts.
    private var statementsInFlight = 0
    package private(set) var connecting = 0
    package private(set) var consecutiveConnectFailures = 0
    private var backoffUntil: Instant?
    private var armed = TimerTable<Instant>()

    package init(configuration: Configuration) {
        self.configuration = configuration
        idle.reserveCapacity(configuration.maxConnections)
        if configuration.multiplexes { sharing.reserveCapacity(configuration.maxConnections) }
    }

    package var counts: Counts {
        Counts(
            open: connections.count, idle: idle.count, leased: connections.count - idle.count - checkingCount,
            connecting: connecting, waiters: waiters.count, shared: sharing.count, statements: statementsInFlight)
    }

    private var checkingCount: Int {
        connections.values.reduce(0) { $0 + ($1.state == .checking ? 1 : 0) }
    }

    // MARK: Events

    /// The pool starts: open `minConnections`, and connections for early waiters.
    package mutating func start(now: Instant) -> Actions {
        guard lifecycle == .notStarted else { return Actions() }
        lifecycle = .running
        var actions = Actions()
        refill(now: now, into: &actions)
        return actions
    }

    /// A caller wants a connection: alone (`exclusive`), or a place for one statement. The
    /// caller runs on the event loop `affinity`, if any.
    package mutating func requestConnection(
        _ waiter: WaiterID, now: Instant, kind: LeaseKind = .exclusive, affinity: PoolAffinity? = nil
    ) -> Actions {
        switch lifecycle {
        case .shuttingDown, .shutDown:
            return Actions(.failWaiter(waiter, .shutdown))
        case .notStarted, .running:
            break
        }
        let kind = configuration.effective(kind)
        if let id = takeAvailable(kind, affinity: affinity, now: now) {
            return Actions(.lease(id, to: waiter))
        }
        var actions = Actions()
        let deadline = now.advanced(by: configuration.acquireTimeout)
        waiters.append(Waiter(id: waiter, deadline: deadline, kind: kind, affinity: affinity))
        if kind != .statement { exclusiveWaiters += 1 }
        arm(.waiterDeadline, at: deadline, into: &actions)
        refill(now: now, into: &actions)
        return actions
    }

    /// Takes a connection for a caller that would not have to wait: an idle one, or a place on
    /// a shared one. `nil` when the caller would have to queue (or the pool is shutting down).
    /// The lock holder of the shell uses this to lease without suspending.
    ///
    /// A statement from a caller on an event loop stays on that loop while it can: an idle
    /// connection there, else a place on a shared one there, and only then a connection on
    /// another loop. A connection elsewhere costs two thread hops per query; a place beside
    /// other statements costs nothing extra, as they are pipelined. (Under saturation, a caller
    /// that once took a connection on another loop would otherwise keep doing so.)
    package mutating func takeAvailable(_ kind: LeaseKind, affinity: PoolAffinity?, now: Instant) -> ConnectionID? {
        guard lifecycle == .running || lifecycle == .notStarted else { return nil }
        let kind = configuration.effective(kind)
        let idleIndex = idleIndex(preferring: affinity)
        if let index = idleIndex, kind != .statement || affinity == nil || idle[index].affinity == affinity {
            return takeIdle(at: index, kind)
        }
        // Joining only when nobody waits keeps the queue first come, first served: a statement
        // never overtakes a waiter, and an exclusive waiter sees the shared connections drain.
        if kind == .statement, waiters.isEmpty, let index = sharedIndexWithRoom(preferring: affinity, now: now),
            idleIndex == nil || sharing[index].affinity == affinity
        {
            sharing[index].statements += 1
            statementsInFlight += 1
            return sharing[index].id
        }
        return idleIndex.map { takeIdle(at: $0, kind) }
    }

    private mutating func takeIdle(at index: Int, _ kind: LeaseKind) -> ConnectionID {
        let slot = idle.remove(at: index)
        switch kind {
        case .exclusive:
            connections[slot.id]?.state = .leased
        case .statement, .pipelinedStatement:
            connections[slot.id]?.state = .shared
            sharing.append(SharedSlot(
                id: slot.id, affinity: slot.affinity, statements: 1, acceptsMore: kind == .statement,
                expiresAt: connections[slot.id]?.expiresAt))
            statementsInFlight += 1
        }
        return slot.id
    }

    /// The caller's task was cancelled; if it still waits, it leaves the queue.
    ///
    /// Statement waiters behind a cancelled exclusive one are seated by the next statement that
    /// finishes, not here (this event has no time to judge expiry by).
    package mutating func cancelWaiter(_ waiter: WaiterID) -> Actions {
        guard let index = waiters.firstIndex(where: { $0.id == waiter }) else { return Actions() }
        if waiters.remove(at: index).kind != .statement { exclusiveWaiters -= 1 }
        return Actions(.failWaiter(waiter, .cancelled))
    }

    /// A one-off statement on a shared connection finished (successfully or not). Its place goes
    /// to a statement waiter at the head of the queue; the last statement out hands the
    /// connection back (``Action/reclaim(_:)``), as a returned lease.
    package mutating func statementFinished(_ id: ConnectionID, now: Instant) -> Actions {
        guard let index = sharing.firstIndex(where: { $0.id == id }) else { return Actions() }
        statementsInFlight -= 1
        if sharing[index].statements > 1 {
            sharing[index].statements -= 1
            var actions = Actions()
            seatQueuedStatements(now: now, into: &actions)
            return actions
        }
        sharing.remove(at: index)
        connections[id]?.state = .leased
        return Actions(.reclaim(id))
    }

    /// A lease was made to a waiter that had already gone: undo it as its holder would.
    package mutating func leaseAbandoned(_ id: ConnectionID, now: Instant) -> Actions {
        if connections[id]?.state == .shared { return statementFinished(id, now: now) }
        return connectionReleased(id, now: now)
    }

    /// A leased connection came back clean (the shell has rolled back or reset it if needed).
    package mutating func connectionReleased(_ id: ConnectionID, now: Instant) -> Actions {
        guard let connection = connections[id], connection.state == .leased else { return Actions() }
        return becameAvailable(id, connection, now: now)
    }

    /// A new connection is open (and set up); `lifetimeJitter` is a random number in 0..<1.
    package mutating func connectionOpened(
        _ id: ConnectionID, now: Instant, lifetimeJitter: Double, affinity: PoolAffinity? = nil
    ) -> Actions {
        connecting -= 1
        consecutiveConnectFailures = 0
        backoffUntil = nil
        let expiresAt = configuration.maxLifetime.map { lifetime in
            now.advanced(by: lifetime - configuration.maxLifetimeJitter * min(max(lifetimeJitter, 0), 1))
        }
        let connection = Connection(
            state: .leased, affinity: affinity, expiresAt: expiresAt, lastActivity: now, idleSince: now)
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
    package mutating func connectFailed(now: Instant, backoffJitter: Double) -> Actions {
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
    package mutating func connectionClosed(_ id: ConnectionID, now: Instant) -> Actions {
        guard let connection = connections.removeValue(forKey: id) else { return Actions() }
        switch connection.state {
        case .idle:
            if let index = idle.firstIndex(where: { $0.id == id }) { idle.remove(at: index) }
        case .shared:
            // Its statements fail on their own; their finishing is then ignored.
            if let index = sharing.firstIndex(where: { $0.id == id }) {
                statementsInFlight -= sharing.remove(at: index).statements
            }
        case .leased, .checking:
            break
        }
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
    package mutating func healthCheckSucceeded(_ id: ConnectionID, now: Instant) -> Actions {
        guard var connection = connections[id], connection.state == .checking else { return Actions() }
        connection.lastActivity = now
        return becameAvailable(id, connection, now: now, keepIdleSince: true)
    }

    /// A timer fired (possibly late, or after it stopped mattering: that is harmless).
    package mutating func timerFired(_ timer: Timer, now: Instant) -> Actions {
        armed[timer] = nil
        var actions = Actions()
        switch (timer, lifecycle) {
        case (.waiterDeadline, _):
            while let head = waiters.first, head.deadline <= now {
                popWaiter()
                actions.append(.failWaiter(head.id, .timeout))
            }
            seatQueuedStatements(now: now, into: &actions)
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
            for id in Array(connections.ids) {
                connections[id] = nil
                actions.append(.closeConnection(id))
            }
            idle.removeAll()
            sharing.removeAll()
            statementsInFlight = 0
            completeShutdownIfDone(into: &actions)
        default:
            break
        }
        return actions
    }

    /// Stop handing out connections: fail the waiters, close idle connections, and close the
    /// leased ones as they come back, or all at once after `gracePeriod` (now, when `.zero`).
    package mutating func shutdown(now: Instant, gracePeriod: Duration?) -> Actions {
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
        while let waiter = popWaiter() {
            actions.append(.failWaiter(waiter.id, .shutdown))
        }
        for slot in idle {
            connections[slot.id] = nil
            actions.append(.closeConnection(slot.id))
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
        if let waiter = popWaiter() {
            actions.append(.lease(id, to: waiter.id))
            switch waiter.kind {
            case .exclusive:
                connection.state = .leased
                connections[id] = connection
                // Statement waiters now at the head may fit on shared connections.
                seatQueuedStatements(now: now, into: &actions)
            case .statement, .pipelinedStatement:
                var statements = 1
                while waiter.kind == .pipelinedStatement, statements < configuration.statementsPerHandoff,
                    let next = waiters.first, next.kind == .pipelinedStatement
                {
                    popWaiter()
                    actions.append(.lease(id, to: next.id))
                    statements += 1
                }
                connection.state = .shared
                connections[id] = connection
                sharing.append(SharedSlot(
                    id: id, affinity: connection.affinity, statements: statements,
                    acceptsMore: waiter.kind == .statement, expiresAt: connection.expiresAt))
                statementsInFlight += statements
                seatQueuedStatements(now: now, into: &actions)
            }
            return actions
        }
        connection.state = .idle
        if !keepIdleSince {
            connection.idleSince = now
            connection.lastActivity = now
        }
        connections[id] = connection
        idle.append(IdleSlot(id: id, affinity: connection.affinity))
        if let due = Self.nextHousekeeping(for: connection, configuration: configuration, open: connections.count) {
            arm(.housekeeping, at: due, into: &actions)
        }
        return actions
    }

    /// Statement waiters at the head of the queue (ahead of every exclusive waiter, so first come
    /// first served holds) take free places on shared connections.
    private mutating func seatQueuedStatements(now: Instant, into actions: inout Actions) {
        while let head = waiters.first, head.kind == .statement,
            let index = sharedIndexWithRoom(preferring: head.affinity, now: now)
        {
            popWaiter()
            sharing[index].statements += 1
            statementsInFlight += 1
            actions.append(.lease(sharing[index].id, to: head.id))
        }
    }

    /// The most recently used idle connection on the caller's event loop, else the most recently
    /// used one.
    private func idleIndex(preferring affinity: PoolAffinity?) -> Int? {
        guard !idle.isEmpty else { return nil }
        if let affinity, let index = idle.lastIndex(where: { $0.affinity == affinity }) { return index }
        return idle.count - 1
    }

    /// The least loaded unexpired shared connection with room, on the caller's event loop if
    /// one has room.
    private func sharedIndexWithRoom(preferring affinity: PoolAffinity?, now: Instant) -> Int? {
        var best: Int?
        var bestLoad = Int.max
        var bestMatches = false
        for index in sharing.indices {
            let slot = sharing[index]
            guard slot.acceptsMore, slot.statements < configuration.statementsPerConnection,
                slot.expiresAt.map({ now < $0 }) ?? true
            else { continue }
            let matches = affinity != nil && slot.affinity == affinity
            if (matches && !bestMatches) || (matches == bestMatches && slot.statements < bestLoad) {
                best = index
                bestLoad = slot.statements
                bestMatches = matches
            }
        }
        return best
    }

    /// Removes the head waiter, keeping the count of exclusive ones.
    @discardableResult
    private mutating func popWaiter() -> Waiter? {
        guard let waiter = waiters.popFirst() else { return nil }
        if waiter.kind != .statement { exclusiveWaiters -= 1 }
        return waiter
    }

    // The helpers that read the machine are static or mutating: a nonmutating method called
    // from a mutating one copies the whole machine first (a retain and release of each of its
    // collections), and the pool's lock is held meanwhile.

    /// The connections the queue needs: one per exclusive waiter, one per
    /// `statementsPerConnection` statement waiters.
    private static func connectionsWanted(waiters: Int, exclusiveWaiters: Int, perConnection: Int) -> Int {
        exclusiveWaiters + (waiters - exclusiveWaiters + perConnection - 1) / perConnection
    }

    /// Opens connections for the waiters not covered by connects under way, and up to
    /// `minConnections`; after failures, one probe at a time once the backoff has passed.
    private mutating func refill(now: Instant, into actions: inout Actions) {
        guard lifecycle == .running else { return }
        let total = connections.count + connecting
        let queued = Self.connectionsWanted(
            waiters: waiters.count, exclusiveWaiters: exclusiveWaiters, perConnection: configuration.statementsPerConnection)
        var wanted = max(configuration.minConnections - total, queued - connecting)
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
        var kept: [IdleSlot] = []
        kept.reserveCapacity(idle.count)
        for slot in idle {
            let id = slot.id
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
                kept.append(slot)
            }
        }
        idle = kept
        refill(now: now, into: &actions)
        var next: Instant?
        for slot in idle {
            guard let connection = connections[slot.id],
                let due = Self.nextHousekeeping(for: connection, configuration: configuration, open: connections.count)
            else { continue }
            if next.map({ due < $0 }) ?? true { next = due }
        }
        if let next { arm(.housekeeping, at: next, into: &actions) }
    }

    /// The next instant something is due for an idle connection. An idle timeout counts only
    /// while the pool (`open` connections) is above `minConnections`, so that a full-at-minimum
    /// pool sleeps.
    private static func nextHousekeeping(for connection: Connection, configuration: Configuration, open: Int) -> Instant? {
        var due = connection.expiresAt
        if let timeout = configuration.idleTimeout, open > configuration.minConnections {
            due = earliest(due, connection.idleSince.advanced(by: timeout))
        }
        if let interval = configuration.healthCheckInterval {
            due = earliest(due, connection.lastActivity.advanced(by: interval))
        }
        return due
    }

    private static func earliest(_ a: Instant?, _ b: Instant) -> Instant {
        guard let a else { return b }
        return min(a, b)
    }

    private func isExpired(_ connection: Connection, now: Instant) -> Bool {
        connection.expiresAt.map { $0 <= now } ?? false
    }

    private func backoffDelay(failures: Int, jitter: Double) -> Duration {
        PGBackoff(initial: configuration.backoffInitial, maximum: configuration.backoffMaximum)
            .delay(failures: failures, random: jitter)
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
