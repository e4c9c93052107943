import PGPoolTestSupport
import PGWireTestSupport
import Testing

@testable import PGClient

/// Multiplexing (one-off statements sharing connections) and event-loop affinity in the pool's
/// decisions, with a fake clock.
@Suite struct PoolStateMachineMultiplexingTests {
    typealias Machine = PoolStateMachineTests.Machine
    typealias Action = Machine.Action

    static let loopA = PoolAffinity(rawValue: 0xA)
    static let loopB = PoolAffinity(rawValue: 0xB)

    static func at(_ milliseconds: Int) -> PoolInstant { PoolStateMachineTests.at(milliseconds) }

    static func configuration(
        max: Int, perConnection: Int, acquireTimeout: Duration = .seconds(1), maxLifetime: Duration? = nil
    ) -> Machine.Configuration {
        var configuration = PoolStateMachineTests.configuration(
            max: max, acquireTimeout: acquireTimeout, maxLifetime: maxLifetime)
        configuration.statementsPerConnection = perConnection
        return configuration
    }

    /// A running machine with connections 1…n open and idle at time 0 (connection i on
    /// `loops[i - 1]`), the highest number the most recently used.
    static func machine(_ configuration: Machine.Configuration, open n: Int, loops: [PoolAffinity] = []) -> Machine {
        var machine = Machine(configuration: configuration)
        _ = machine.start(now: at(0))
        for id in 1...n { _ = machine.requestConnection(UInt64(1000 + id), now: at(0)) }
        for id in 1...n {
            let affinity = id <= loops.count ? loops[id - 1] : nil
            _ = machine.connectionOpened(id, now: at(0), lifetimeJitter: 0, affinity: affinity)
        }
        for id in 1...n { _ = machine.connectionReleased(id, now: at(0)) }
        _ = machine.timerFired(.waiterDeadline, now: at(0))
        return machine
    }

    static func statement(_ machine: inout Machine, _ waiter: UInt64, at time: Int = 1, on loop: PoolAffinity? = nil) -> [Action] {
        Array(machine.requestConnection(waiter, now: at(time), kind: .statement, affinity: loop))
    }

    @Test func aConnectionTakesUpToTheLimitOfStatements() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 3), open: 1)
        #expect(Self.statement(&machine, 1) == [.lease(1, to: 1)])
        #expect(Self.statement(&machine, 2) == [.lease(1, to: 2)])
        #expect(Self.statement(&machine, 3) == [.lease(1, to: 3)])
        #expect(Self.statement(&machine, 4) == [.scheduleTimer(.waiterDeadline, at: Self.at(1001))])
        #expect(machine.counts == .init(open: 1, idle: 0, leased: 1, connecting: 0, waiters: 1, shared: 1, statements: 3))
        // A finished statement's place goes to the waiting one.
        #expect(Array(machine.statementFinished(1, now: Self.at(2))) == [.lease(1, to: 4)])
        #expect(machine.counts.statements == 3 && machine.counts.waiters == 0)
        // The last one out hands the connection back, to be checked as a returned lease.
        #expect(Array(machine.statementFinished(1, now: Self.at(3))) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(3))) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(3))) == [.reclaim(1)])
        #expect(machine.counts == .init(open: 1, idle: 0, leased: 1, connecting: 0, waiters: 0, shared: 0, statements: 0))
        // Nothing joins it while it is being taken back (the deadline timer is still armed for 4's).
        #expect(Self.statement(&machine, 5, at: 4) == [])
        #expect(machine.counts.waiters == 1)
        #expect(Array(machine.statementFinished(1, now: Self.at(4))) == [])
        #expect(Array(machine.connectionReleased(1, now: Self.at(5))) == [.lease(1, to: 5)])
        #expect(Array(machine.statementFinished(1, now: Self.at(6))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(7))) == [])
        #expect(machine.counts == .init(open: 1, idle: 1, leased: 0, connecting: 0, waiters: 0))
    }

    @Test func idleConnectionsFirstThenTheLeastLoadedSharedOne() {
        var machine = Self.machine(Self.configuration(max: 3, perConnection: 4), open: 3)
        #expect(Self.statement(&machine, 1) == [.lease(3, to: 1)])
        #expect(Self.statement(&machine, 2) == [.lease(2, to: 2)])
        #expect(Self.statement(&machine, 3) == [.lease(1, to: 3)])
        // All three carry one: a tie goes to the first shared.
        #expect(Self.statement(&machine, 4) == [.lease(3, to: 4)])
        #expect(Self.statement(&machine, 5) == [.lease(2, to: 5)])
        #expect(Self.statement(&machine, 6) == [.lease(1, to: 6)])
        #expect(Self.statement(&machine, 7) == [.lease(3, to: 7)])  // 3, 2, 2
        #expect(Array(machine.statementFinished(2, now: Self.at(2))) == [])  // 3, 1, 2
        #expect(Self.statement(&machine, 8) == [.lease(2, to: 8)])
        #expect(machine.counts.statements == 7 && machine.counts.shared == 3)
    }

    @Test func leasesPreferTheCallersEventLoop() {
        var machine = Self.machine(
            Self.configuration(max: 4, perConnection: 1), open: 4, loops: [Self.loopA, Self.loopB, Self.loopA, Self.loopB])
        // Idle connections: the most recently used on the caller's loop, else the most recently used.
        #expect(Array(machine.requestConnection(1, now: Self.at(1), affinity: Self.loopA)) == [.lease(3, to: 1)])
        #expect(Array(machine.requestConnection(2, now: Self.at(1), affinity: Self.loopA)) == [.lease(1, to: 2)])
        #expect(Array(machine.requestConnection(3, now: Self.at(1), affinity: Self.loopA)) == [.lease(4, to: 3)])
        #expect(Array(machine.requestConnection(4, now: Self.at(1))) == [.lease(2, to: 4)])
    }

    @Test func statementsPreferASharedConnectionOnTheCallersEventLoop() {
        var machine = Self.machine(Self.configuration(max: 2, perConnection: 3), open: 2, loops: [Self.loopA, Self.loopB])
        #expect(Self.statement(&machine, 1, on: Self.loopA) == [.lease(1, to: 1)])
        #expect(Self.statement(&machine, 2, on: Self.loopB) == [.lease(2, to: 2)])
        // On its own loop even when more loaded…
        #expect(Self.statement(&machine, 3, on: Self.loopA) == [.lease(1, to: 3)])
        #expect(Self.statement(&machine, 4, on: Self.loopA) == [.lease(1, to: 4)])
        // …and elsewhere once that one is full.
        #expect(Self.statement(&machine, 5, on: Self.loopA) == [.lease(2, to: 5)])
        #expect(Self.statement(&machine, 6) == [.lease(2, to: 6)])
        #expect(Self.statement(&machine, 7, on: Self.loopB) == [.scheduleTimer(.waiterDeadline, at: Self.at(1001))])
    }

    @Test func aStatementSharesOnItsLoopBeforeTakingAnIdleConnectionElsewhere() {
        var machine = Self.machine(
            Self.configuration(max: 3, perConnection: 2), open: 3, loops: [Self.loopA, Self.loopB, Self.loopB])
        #expect(Self.statement(&machine, 1, on: Self.loopA) == [.lease(1, to: 1)])
        #expect(Self.statement(&machine, 2, on: Self.loopA) == [.lease(1, to: 2)])
        // Connection 1 is full: now another loop's idle connection, the most recently used.
        #expect(Self.statement(&machine, 3, on: Self.loopA) == [.lease(3, to: 3)])
        // A caller on no event loop takes an idle connection before sharing.
        #expect(Self.statement(&machine, 4) == [.lease(2, to: 4)])
        #expect(Self.statement(&machine, 5) == [.lease(3, to: 5)])
    }

    @Test func aWaitingExclusiveCallerStopsSharingAndGetsTheDrainedConnection() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 4), open: 1)
        _ = Self.statement(&machine, 1)
        _ = Self.statement(&machine, 2)
        #expect(Array(machine.requestConnection(3, now: Self.at(1))) == [.scheduleTimer(.waiterDeadline, at: Self.at(1001))])
        // The connection has room, but a statement does not overtake the exclusive waiter.
        #expect(Self.statement(&machine, 4) == [])
        #expect(machine.counts.statements == 2 && machine.counts.waiters == 2)
        #expect(Array(machine.statementFinished(1, now: Self.at(2))) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(3))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(4))) == [.lease(1, to: 3)])
        #expect(machine.counts == .init(open: 1, idle: 0, leased: 1, connecting: 0, waiters: 1, shared: 0, statements: 0))
        // The exclusive holder's return goes to the statement behind it, shared again.
        #expect(Array(machine.connectionReleased(1, now: Self.at(5))) == [.lease(1, to: 4)])
        #expect(machine.counts.shared == 1 && machine.counts.statements == 1)
    }

    @Test func queuedStatementsAreServedInOrderAsPlacesFreeUp() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 2), open: 1)
        _ = Self.statement(&machine, 1)
        _ = Self.statement(&machine, 2)
        #expect(Self.statement(&machine, 3) == [.scheduleTimer(.waiterDeadline, at: Self.at(1001))])
        #expect(Self.statement(&machine, 4) == [])
        #expect(Array(machine.requestConnection(5, now: Self.at(1))) == [])
        #expect(Self.statement(&machine, 6) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(2))) == [.lease(1, to: 3)])
        #expect(Array(machine.statementFinished(1, now: Self.at(3))) == [.lease(1, to: 4)])
        // Next in line is exclusive: the connection drains to it; 6 waits behind it.
        #expect(Array(machine.statementFinished(1, now: Self.at(4))) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(5))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(6))) == [.lease(1, to: 5)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(7))) == [.lease(1, to: 6)])
    }

    @Test func aReturnedConnectionSeatsSeveralQueuedStatements() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 3), open: 1)
        _ = machine.requestConnection(1, now: Self.at(1))
        for waiter in UInt64(2)...5 { _ = Self.statement(&machine, waiter) }
        #expect(Array(machine.connectionReleased(1, now: Self.at(2))) == [.lease(1, to: 2), .lease(1, to: 3), .lease(1, to: 4)])
        #expect(machine.counts.waiters == 1 && machine.counts.statements == 3)
    }

    @Test func queuedStatementsTimeOutOrLeaveWhenCancelled() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 2), open: 1)
        _ = Self.statement(&machine, 1, at: 0)
        _ = Self.statement(&machine, 2, at: 0)
        _ = Self.statement(&machine, 3, at: 0)
        _ = Self.statement(&machine, 4, at: 100)
        #expect(Array(machine.cancelWaiter(4)) == [.failWaiter(4, .cancelled)])
        #expect(Array(machine.timerFired(.waiterDeadline, now: Self.at(1000))) == [.failWaiter(3, .timeout)])
        #expect(machine.counts.waiters == 0)
        #expect(Array(machine.statementFinished(1, now: Self.at(1001))) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(1002))) == [.reclaim(1)])
    }

    @Test func statementsBehindATimedOutExclusiveWaiterAreSeated() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 3), open: 1)
        _ = Self.statement(&machine, 1, at: 0)
        _ = machine.requestConnection(2, now: Self.at(0))
        _ = Self.statement(&machine, 3, at: 10)
        #expect(Array(machine.timerFired(.waiterDeadline, now: Self.at(1000))) == [.failWaiter(2, .timeout), .lease(1, to: 3)])
        #expect(machine.counts.statements == 2)
    }

    @Test func aSharedConnectionThatClosesTakesOnlyItsStatements() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 2), open: 1)
        _ = Self.statement(&machine, 1)
        _ = Self.statement(&machine, 2)
        _ = Self.statement(&machine, 3)
        // One statement's waiter needs one connection.
        #expect(Array(machine.connectionClosed(1, now: Self.at(2))) == [.createConnection])
        #expect(machine.counts == .init(open: 0, idle: 0, leased: 0, connecting: 1, waiters: 1))
        // Its statements finish (failed) afterwards: ignored.
        #expect(Array(machine.statementFinished(1, now: Self.at(3))) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(3))) == [])
        #expect(Array(machine.connectionOpened(2, now: Self.at(4), lifetimeJitter: 0)) == [.lease(2, to: 3)])
        #expect(machine.counts == .init(open: 1, idle: 0, leased: 1, connecting: 0, waiters: 0, shared: 1, statements: 1))
    }

    @Test func statementWaitersOpenOneConnectionPerLimit() {
        var machine = Machine(configuration: Self.configuration(max: 8, perConnection: 4))
        _ = machine.start(now: Self.at(0))
        var creates = 0
        for waiter in UInt64(1)...10 {
            creates += Self.statement(&machine, waiter, at: 0).filter { $0 == .createConnection }.count
        }
        #expect(creates == 3)
        #expect(Array(machine.connectionOpened(1, now: Self.at(1), lifetimeJitter: 0)) == [
            .lease(1, to: 1), .lease(1, to: 2), .lease(1, to: 3), .lease(1, to: 4),
        ])
    }

    @Test func anExpiredSharedConnectionTakesNoMoreStatements() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 4, acquireTimeout: .seconds(10), maxLifetime: .seconds(60)), open: 1)
        _ = Self.statement(&machine, 1, at: 59_000)
        #expect(Self.statement(&machine, 2, at: 61_000) == [.scheduleTimer(.waiterDeadline, at: Self.at(71_000))])
        #expect(Array(machine.statementFinished(1, now: Self.at(61_001))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(61_002))) == [.closeConnection(1), .createConnection])
        #expect(Array(machine.connectionOpened(2, now: Self.at(61_003), lifetimeJitter: 0)) == [.lease(2, to: 2)])
    }

    @Test func withoutMultiplexingAStatementLeasesAlone() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 1), open: 1)
        #expect(Self.statement(&machine, 1) == [.lease(1, to: 1)])
        #expect(Self.statement(&machine, 2) == [.scheduleTimer(.waiterDeadline, at: Self.at(1001))])
        #expect(machine.counts.shared == 0)
        #expect(Array(machine.statementFinished(1, now: Self.at(2))) == [])
        #expect(Array(machine.connectionReleased(1, now: Self.at(2))) == [.lease(1, to: 2)])
    }

    @Test func shutdownWaitsForSharedConnectionsToDrain() {
        var machine = Self.machine(Self.configuration(max: 2, perConnection: 4), open: 2)
        #expect(Self.statement(&machine, 1) == [.lease(2, to: 1)])
        #expect(Self.statement(&machine, 2) == [.lease(1, to: 2)])
        #expect(Self.statement(&machine, 3) == [.lease(2, to: 3)])
        #expect(Array(machine.shutdown(now: Self.at(2), gracePeriod: .seconds(5))) == [
            .scheduleTimer(.shutdownDeadline, at: Self.at(5002)),
        ])
        #expect(Self.statement(&machine, 4, at: 3) == [.failWaiter(4, .shutdown)])
        #expect(Array(machine.statementFinished(2, now: Self.at(4))) == [])
        #expect(Array(machine.statementFinished(2, now: Self.at(4))) == [.reclaim(2)])
        #expect(Array(machine.connectionReleased(2, now: Self.at(5))) == [.closeConnection(2)])
        #expect(Array(machine.statementFinished(1, now: Self.at(6))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(7))) == [.closeConnection(1), .shutdownCompleted])
    }

    @Test func theGracePeriodClosesSharedConnectionsUnderTheirStatements() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 4), open: 1)
        _ = Self.statement(&machine, 1)
        _ = Self.statement(&machine, 2)
        _ = machine.shutdown(now: Self.at(2), gracePeriod: .seconds(1))
        #expect(Array(machine.timerFired(.shutdownDeadline, now: Self.at(1002))) == [.closeConnection(1), .shutdownCompleted])
        #expect(machine.counts == .init(open: 0, idle: 0, leased: 0, connecting: 0, waiters: 0))
        #expect(Array(machine.statementFinished(1, now: Self.at(1003))) == [])
    }

    @Test func aLeaseToAVanishedWaiterIsUndone() {
        var machine = Self.machine(Self.configuration(max: 1, perConnection: 2), open: 1)
        _ = Self.statement(&machine, 1)
        _ = Self.statement(&machine, 2)
        #expect(Array(machine.leaseAbandoned(1, now: Self.at(2))) == [])
        #expect(Array(machine.leaseAbandoned(1, now: Self.at(2))) == [.reclaim(1)])
        #expect(Array(machine.leaseAbandoned(1, now: Self.at(3))) == [])
        #expect(machine.counts == .init(open: 1, idle: 1, leased: 0, connecting: 0, waiters: 0))
    }

    /// Random events against the shared model (see `PoolModel`): a connection is never held
    /// exclusively and shared at once, never carries more than the limit, every waiter ends
    /// exactly once, and everything comes back.
    @Test(arguments: 0..<20)
    func randomEventsKeepTheInvariants(seed: UInt64) {
        Self.checkRandomEvents(seed: seed) { $0.statementsPerConnection = 3 }
    }

    /// 500 random events from `seed` on a machine of 1 to 3 connections with short timings,
    /// configured further by `configure`, then a drain: no rule broken, everything back.
    static func checkRandomEvents(seed: UInt64, _ configure: (inout Machine.Configuration) -> Void) {
        var random = SplitMix64(seed: seed)
        var configuration = PoolStateMachineTests.configuration(
            min: 1, max: 3, acquireTimeout: .milliseconds(50), idleTimeout: .milliseconds(200),
            maxLifetime: .seconds(1), jitter: .milliseconds(100), healthCheck: .milliseconds(100))
        configure(&configuration)
        var scenario = PoolScenario(configuration: configuration)
        scenario.start()
        for _ in 0..<500 { scenario.step(&random) }
        scenario.drain()
        #expect(scenario.model.violations == [])
        #expect(scenario.machine.lifecycle == .shutDown)
        #expect(scenario.model.served.count > 0)
    }
}
