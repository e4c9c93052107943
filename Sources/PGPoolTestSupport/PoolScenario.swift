package import PGClient
package import PGWireTestSupport

/// A ``PoolStateMachine`` driven by events chosen from a ``ScenarioEventSource``, as an I/O shell
/// would drive it (callers asking, leaving and returning connections, connects succeeding or
/// failing, health checks, the timers it armed firing, shutdown), with every action checked by
/// a ``PoolModel``. ``drain()`` then lets time pass with only the timers the machine armed and
/// returns everything, so that a waiter left hanging or a connection never returned shows.
///
/// ```swift
/// var scenario = PoolScenario(configuration: configuration)
/// var random = SplitMix64(seed: 7)
/// scenario.start()
/// for _ in 0..<400 { scenario.step(&random) }
/// scenario.drain()
/// #expect(scenario.model.violations == [])
/// ```
package struct PoolScenario {
    package typealias Machine = PoolStateMachine<Int, PoolInstant>

    /// No event loop, or one of two, for the affinity rules: `choice % 3`. (A function, not a
    /// static array: a lazily made global looks like a leak to LeakSanitizer.)
    package static func affinity(_ choice: Int) -> PoolAffinity? {
        switch choice % 3 {
        case 0: nil
        case 1: PoolAffinity(rawValue: 0xA)
        default: PoolAffinity(rawValue: 0xB)
        }
    }

    /// What a caller asks for, by `choice`: alone, a pipelined statement, or (more often) a
    /// multiplexed one; the machine turns off what its configuration does not allow.
    package static func kind(_ choice: Int) -> Machine.LeaseKind {
        switch choice {
        case 0: .exclusive
        case 1: .pipelinedStatement
        default: .statement
        }
    }

    package private(set) var machine: Machine
    package private(set) var model: PoolModel
    /// The time in milliseconds.
    package private(set) var now = 0
    private var nextWaiter: Machine.WaiterID = 1
    private var nextConnection = 1

    package init(configuration: Machine.Configuration) {
        machine = Machine(configuration: configuration)
        model = PoolModel(configuration: configuration)
    }

    private var instant: PoolInstant { PoolInstant(offset: .milliseconds(now)) }

    private mutating func apply(_ actions: Machine.Actions, cause: PoolModel.Cause = .other) {
        let at = instant
        model.apply(actions, machine: machine, now: at, cause: cause)
    }

    /// Starts the machine.
    package mutating func start() {
        let at = instant
        apply(machine.start(now: at))
    }

    /// Lets up to `maxMilliseconds` pass, then performs one event chosen by `source`.
    package mutating func step(_ source: inout some ScenarioEventSource, maxMilliseconds: Int = 20) {
        now += source.below(maxMilliseconds)
        switch source.below(16) {
        case 0, 1, 2:
            request(&source)
        case 3:
            takeAvailable(&source)
        case 4:
            releaseExclusive(&source)
        case 5:
            finishStatement(&source)
        case 6:
            returnReclaimed(&source)
        case 7, 8:
            resolveConnect(&source)
        case 9:
            if let waiter = source.pick(model.waiting.keys.sorted()) {
                apply(machine.cancelWaiter(waiter), cause: .cancel(waiter))
            }
        case 10:
            if let id = source.pick(model.checking.sorted()) {
                if source.below(2) == 0 {
                    model.checking.remove(id)
                    apply(machine.healthCheckSucceeded(id, now: instant))
                } else {
                    breakConnection(id)
                }
            }
        case 11:
            abandonLease(&source)
        case 12:
            // A connection breaks: an idle one (terminated backend) or one in use.
            if let id = source.pick(model.open.sorted()) { breakConnection(id) }
        case 13:
            staleEvent(&source)
        case 14:
            if machine.lifecycle == .notStarted {
                start()
            } else if source.below(64) == 0 {
                let grace: Duration?
                switch source.below(3) {
                case 0: grace = nil
                case 1: grace = .zero
                default: grace = .milliseconds(50)
                }
                let at = instant
                apply(machine.shutdown(now: at, gracePeriod: grace))
            }
        default:
            fireDueTimers()
        }
    }

    private mutating func request(_ source: inout some ScenarioEventSource) {
        let kind = Self.kind(source.below(4))
        let affinity = Self.affinity(source.below(3))
        let waiter = nextWaiter
        nextWaiter += 1
        model.requested(waiter, kind: kind, now: instant)
        apply(machine.requestConnection(waiter, now: instant, kind: kind, affinity: affinity))
    }

    /// The shell's fast path: a caller takes a free connection without queueing.
    private mutating func takeAvailable(_ source: inout some ScenarioEventSource) {
        let kind = Self.kind(source.below(3))
        let affinity = Self.affinity(source.below(3))
        guard let id = machine.takeAvailable(kind, affinity: affinity, now: instant) else { return }
        let waiter = nextWaiter
        nextWaiter += 1
        model.tookAvailable(id, waiter: waiter, kind: kind)
        apply(Machine.Actions())
    }

    private mutating func releaseExclusive(_ source: inout some ScenarioEventSource) {
        guard let id = source.pick(model.exclusive.keys.sorted()) else { return }
        model.exclusive[id] = nil
        apply(machine.connectionReleased(id, now: instant))
    }

    private mutating func finishStatement(_ source: inout some ScenarioEventSource) {
        guard let id = source.pick(model.statements.keys.sorted()), var holders = model.statements[id] else { return }
        holders.remove(at: source.below(holders.count))
        model.statements[id] = holders.isEmpty ? nil : holders
        apply(machine.statementFinished(id, now: instant))
    }

    /// A reclaimed connection comes back clean, or its cleanup fails.
    private mutating func returnReclaimed(_ source: inout some ScenarioEventSource) {
        guard let id = source.pick(model.reclaimed.sorted()) else { return }
        if source.below(4) == 0 {
            breakConnection(id)
        } else {
            model.reclaimed.remove(id)
            apply(machine.connectionReleased(id, now: instant))
        }
    }

    private mutating func resolveConnect(_ source: inout some ScenarioEventSource) {
        guard model.connectsUnderWay > 0 else { return }
        if source.below(4) == 0 {
            model.connectsUnderWay -= 1
            apply(machine.connectFailed(now: instant, backoffJitter: Double(source.below(5)) / 4))
        } else {
            openConnection(affinity: Self.affinity(source.below(3)), jitter: Double(source.below(5)) / 4)
        }
    }

    private mutating func openConnection(affinity: PoolAffinity?, jitter: Double) {
        let id = nextConnection
        nextConnection += 1
        model.opened(id)
        apply(machine.connectionOpened(id, now: instant, lifetimeJitter: jitter, affinity: affinity))
    }

    /// A lease was made to a caller that had already gone; the shell undoes it.
    private mutating func abandonLease(_ source: inout some ScenarioEventSource) {
        let held = model.exclusive.keys.map { ($0, true) } + model.statements.keys.map { ($0, false) }
        guard let (id, isExclusive) = source.pick(held.sorted { $0.0 < $1.0 }) else { return }
        if isExclusive {
            model.exclusive[id] = nil
        } else if var holders = model.statements[id] {
            holders.removeLast()
            model.statements[id] = holders.isEmpty ? nil : holders
        }
        apply(machine.leaseAbandoned(id, now: instant))
    }

    private mutating func breakConnection(_ id: Int) {
        model.forget(id)
        apply(machine.connectionClosed(id, now: instant))
    }

    /// An event about a connection the machine has closed or forgotten, or a waiter that has
    /// ended: it must be ignored.
    private mutating func staleEvent(_ source: inout some ScenarioEventSource) {
        let at = instant
        if source.below(2) == 0, let id = source.pick(model.gone.sorted()) {
            let actions: Machine.Actions
            switch source.below(5) {
            case 0: actions = machine.connectionReleased(id, now: at)
            case 1: actions = machine.statementFinished(id, now: at)
            case 2: actions = machine.connectionClosed(id, now: at)
            case 3: actions = machine.healthCheckSucceeded(id, now: at)
            default: actions = machine.leaseAbandoned(id, now: at)
            }
            if !actions.isEmpty { model.record("an event about forgotten connection \(id) acted: \(Array(actions))") }
            apply(actions)
        } else if let waiter = source.pick(model.served.sorted() + model.failed.keys.sorted()) {
            let actions = machine.cancelWaiter(waiter)
            if !actions.isEmpty { model.record("cancelling ended waiter \(waiter) acted: \(Array(actions))") }
            apply(actions)
        }
    }

    /// Fires every armed timer that is due, earliest first.
    package mutating func fireDueTimers() {
        let due = model.timers.filter { $0.value <= instant }.sorted { $0.value < $1.value }.map(\.key)
        for timer in due {
            model.timers[timer] = nil
            apply(machine.timerFired(timer, now: instant))
        }
    }

    /// Lets the scenario end: connects succeed, health checks pass, holders return what they
    /// hold, and time jumps to each timer the machine armed; then every waiter must have ended
    /// exactly once and nothing may be left lent out. Finally an immediate shutdown must
    /// complete. Breaks are recorded in the model.
    package mutating func drain() {
        if machine.lifecycle == .notStarted { start() }
        var rounds = 0
        while rounds < 100_000 {
            rounds += 1
            if model.connectsUnderWay > 0 {
                openConnection(affinity: nil, jitter: 0)
            } else if let id = model.checking.min() {
                model.checking.remove(id)
                apply(machine.healthCheckSucceeded(id, now: instant))
            } else if let id = model.statements.keys.min(), var holders = model.statements[id] {
                holders.removeLast()
                model.statements[id] = holders.isEmpty ? nil : holders
                apply(machine.statementFinished(id, now: instant))
            } else if let id = model.exclusive.keys.min() {
                model.exclusive[id] = nil
                apply(machine.connectionReleased(id, now: instant))
            } else if let id = model.reclaimed.min() {
                model.reclaimed.remove(id)
                apply(machine.connectionReleased(id, now: instant))
            } else if !model.waiting.isEmpty {
                guard let (timer, at) = model.timers.min(by: { $0.value < $1.value }) else {
                    model.record("\(model.waiting.count) waiters hang: no timer is armed and nothing is held")
                    break
                }
                now = max(now, Int(at.offset / .milliseconds(1)) + 1)
                model.timers[timer] = nil
                apply(machine.timerFired(timer, now: instant))
            } else {
                break
            }
        }
        if rounds == 100_000 { model.record("the pool did not settle") }
        if !model.waiting.isEmpty { model.record("waiters \(model.waiting.keys.sorted()) never ended") }
        let asked = Int(nextWaiter) - 1
        if model.served.count + model.failed.count != asked || !model.served.isDisjoint(with: model.failed.keys) {
            model.record("\(asked) waiters asked, \(model.served.count) served, \(model.failed.count) failed")
        }
        if machine.counts.leased != 0 { model.record("\(machine.counts.leased) connections still lent out") }
        apply(machine.shutdown(now: instant, gracePeriod: .zero))
        if machine.lifecycle != .shutDown || model.shutdownCompletions != 1 {
            model.record("an immediate shutdown left the pool \(machine.lifecycle)")
        }
    }
}
