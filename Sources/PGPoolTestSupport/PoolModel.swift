package import PGClient

/// What the I/O shell knows of a ``PoolStateMachine`` from its actions alone, and the rules the
/// actions must keep. Every action is checked as it is applied; a broken rule is recorded in
/// ``violations`` (tests expect it empty, the fuzz entry traps on it).
///
/// The rules:
/// - a connection is leased only when open and free: never to two waiters, never held
///   exclusively and shared at once, never while checked or reclaimed, and shared by at most
///   `statementsPerConnection` statements; pipelined statements share a connection only with
///   those leased it in the same event (one handoff), at most `statementsPerHandoff`, and never
///   with multiplexed ones;
/// - every lease goes to the waiter that has waited longest (first come, first served), and every
///   waiter ends exactly once: leased, or failed (timed out only once its deadline has passed,
///   cancelled only when it asked, shut down only by a shutdown);
/// - only a shared connection whose last statement finished is reclaimed, and only an idle one
///   is checked or closed by housekeeping;
/// - at most `maxConnections` are open or opening, and the machine's counts agree with the model.
package struct PoolModel {
    package typealias Machine = PoolStateMachine<Int, PoolInstant>

    /// The event that produced the actions being applied, as far as the rules care.
    package enum Cause: Equatable {
        case cancel(Machine.WaiterID)
        case other
    }

    package let configuration: Machine.Configuration
    /// Connections the machine has opened and not closed or forgotten.
    package private(set) var open: Set<Int> = []
    /// Connections leased alone, and to whom.
    package var exclusive: [Int: Machine.WaiterID] = [:]
    /// Connections shared by statements, and by whom (in lease order).
    package var statements: [Int: [Machine.WaiterID]] = [:]
    /// Of the shared connections, those held by one handoff of pipelined statements.
    package private(set) var pipelined: Set<Int> = []
    /// The connections whose handoff the event being applied made (only they may take more
    /// pipelined statements).
    private var handoffsOfThisEvent: Set<Int> = []
    /// Shared connections whose last statement finished, handed back to the shell.
    package var reclaimed: Set<Int> = []
    /// Idle connections under a health check.
    package var checking: Set<Int> = []
    /// Waiters that asked and have not ended: what they asked for and their deadline.
    package private(set) var waiting: [Machine.WaiterID: (kind: Machine.LeaseKind, deadline: PoolInstant)] = [:]
    /// Waiters that got a connection, and those that failed (with why).
    package private(set) var served: Set<Machine.WaiterID> = []
    package private(set) var failed: [Machine.WaiterID: Machine.Failure] = [:]
    /// Connections closed or forgotten: events about them must be ignored.
    package private(set) var gone: Set<Int> = []
    /// `createConnection` actions not yet answered.
    package var connectsUnderWay = 0
    /// The timers the machine armed and that have not fired yet.
    package var timers: [Machine.Timer: PoolInstant] = [:]
    package private(set) var shutdownCompletions = 0
    /// The rules broken so far, in words.
    package private(set) var violations: [String] = []

    package init(configuration: Machine.Configuration) {
        self.configuration = configuration
    }

    /// The lease kind the machine applies to a request of `kind`.
    package func effectiveKind(_ kind: Machine.LeaseKind) -> Machine.LeaseKind {
        configuration.effective(kind)
    }

    /// Connections open and neither lent out nor checked.
    package var idle: Set<Int> {
        open.subtracting(exclusive.keys).subtracting(statements.keys).subtracting(reclaimed)
            .subtracting(checking)
    }

    /// Every connection lent out: alone, shared, or reclaimed and not yet returned.
    package var leased: Int { exclusive.count + statements.count + reclaimed.count }

    package mutating func record(_ violation: String) {
        if violations.count < 20 { violations.append(violation) }
    }

    /// A caller asked (the request is about to reach the machine).
    package mutating func requested(_ waiter: Machine.WaiterID, kind: Machine.LeaseKind, now: PoolInstant) {
        if waiting[waiter] != nil || served.contains(waiter) || failed[waiter] != nil {
            record("waiter \(waiter) asked twice")
        }
        waiting[waiter] = (effectiveKind(kind), now.advanced(by: configuration.acquireTimeout))
    }

    /// A caller that did not queue took a connection through `takeAvailable`.
    package mutating func tookAvailable(_ id: Int, waiter: Machine.WaiterID, kind: Machine.LeaseKind) {
        if !waiting.isEmpty { record("\(waiter) took connection \(id) while \(waiting.count) wait") }
        waiting[waiter] = (effectiveKind(kind), PoolInstant(offset: .zero))
        handoffsOfThisEvent = []
        lease(id, to: waiter)
    }

    /// The shell opened connection `id` (it is about to be reported).
    package mutating func opened(_ id: Int) {
        if connectsUnderWay == 0 { record("connection \(id) opened without a createConnection") }
        connectsUnderWay -= 1
        open.insert(id)
    }

    /// The shell reports that `id` closed or broke: the machine forgets it.
    package mutating func forget(_ id: Int) {
        open.remove(id)
        exclusive[id] = nil
        statements[id] = nil
        pipelined.remove(id)
        reclaimed.remove(id)
        checking.remove(id)
        gone.insert(id)
    }

    /// Applies the actions of one event and checks them, then checks the counts.
    package mutating func apply(
        _ actions: Machine.Actions, machine: Machine, now: PoolInstant, cause: Cause = .other
    ) {
        pipelined.formIntersection(statements.keys)
        handoffsOfThisEvent = []
        for action in actions {
            switch action {
            case .lease(let id, let waiter):
                if let oldest = waiting.keys.min(), oldest != waiter {
                    record("connection \(id) leased to \(waiter) before \(oldest), who waited longer")
                }
                lease(id, to: waiter)
            case .reclaim(let id):
                if !configuration.multiplexes && !configuration.pipelinesWaitingStatements {
                    record("connection \(id) reclaimed without multiplexing or pipelining")
                }
                if !open.contains(id) || exclusive[id] != nil || statements[id] != nil || reclaimed.contains(id) {
                    record("connection \(id) reclaimed while not a drained shared connection")
                }
                reclaimed.insert(id)
            case .failWaiter(let waiter, let failure):
                guard let entry = waiting.removeValue(forKey: waiter) else {
                    record("waiter \(waiter) failed (\(failure)) but it does not wait")
                    continue
                }
                failed[waiter] = failure
                switch failure {
                case .timeout:
                    if now < entry.deadline { record("waiter \(waiter) timed out before its deadline") }
                case .cancelled:
                    if cause != .cancel(waiter) { record("waiter \(waiter) cancelled without asking") }
                case .shutdown:
                    if machine.lifecycle != .shuttingDown && machine.lifecycle != .shutDown {
                        record("waiter \(waiter) failed by a shutdown that did not happen")
                    }
                }
            case .createConnection:
                connectsUnderWay += 1
                if machine.lifecycle != .running { record("a connection opened while \(machine.lifecycle)") }
            case .closeConnection(let id):
                if !open.contains(id) { record("connection \(id) closed but not open") }
                forget(id)
            case .checkConnection(let id):
                if !idle.contains(id) { record("connection \(id) checked but not idle") }
                checking.insert(id)
            case .scheduleTimer(let timer, let instant):
                timers[timer] = instant
            case .shutdownCompleted:
                shutdownCompletions += 1
                if shutdownCompletions > 1 { record("the shutdown completed twice") }
                if !open.isEmpty || connectsUnderWay != 0 {
                    record("the shutdown completed with \(open.count) open and \(connectsUnderWay) opening")
                }
            }
        }
        checkCounts(machine.counts)
    }

    private mutating func lease(_ id: Int, to waiter: Machine.WaiterID) {
        guard let entry = waiting.removeValue(forKey: waiter) else {
            record("connection \(id) leased to \(waiter), who does not wait")
            return
        }
        served.insert(waiter)
        if !open.contains(id) { record("connection \(id) leased but not open") }
        if let holder = exclusive[id] { record("connection \(id) leased to \(waiter) while \(holder) holds it") }
        if reclaimed.contains(id) || checking.contains(id) {
            record("connection \(id) leased while reclaimed or checked")
        }
        switch entry.kind {
        case .exclusive:
            if statements[id] != nil { record("connection \(id) leased alone while shared") }
            exclusive[id] = waiter
        case .statement:
            if pipelined.contains(id) { record("statement \(waiter) joined connection \(id)'s handoff") }
            statements[id, default: []].append(waiter)
            if statements[id, default: []].count > configuration.statementsPerConnection {
                record("connection \(id) carries more than \(configuration.statementsPerConnection) statements")
            }
        case .pipelinedStatement:
            if let holders = statements[id], !holders.isEmpty {
                if !pipelined.contains(id) { record("pipelined \(waiter) joined multiplexed connection \(id)") }
                if !handoffsOfThisEvent.contains(id) { record("pipelined \(waiter) joined connection \(id) after its handoff") }
            }
            pipelined.insert(id)
            handoffsOfThisEvent.insert(id)
            statements[id, default: []].append(waiter)
            if statements[id, default: []].count > configuration.statementsPerHandoff {
                record("connection \(id) carries more than \(configuration.statementsPerHandoff) pipelined statements")
            }
        }
    }

    private mutating func checkCounts(_ counts: Machine.Counts) {
        let statementCount = statements.values.reduce(0) { $0 + $1.count }
        let expected = Machine.Counts(
            open: open.count, idle: idle.count, leased: leased, connecting: connectsUnderWay,
            waiters: waiting.count, shared: statements.count, statements: statementCount)
        if counts != expected { record("the machine counts \(counts), the model \(expected)") }
        if counts.open + counts.connecting > configuration.maxConnections {
            record("\(counts.open) open and \(counts.connecting) opening exceed \(configuration.maxConnections)")
        }
    }
}
