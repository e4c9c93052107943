import Testing

@testable import PGClient

/// Pipelined statements: waiting one-off statements that the next free connection takes
/// together, with a fake clock.
@Suite struct PoolStateMachinePipeliningTests {
    typealias Machine = PoolStateMachineTests.Machine
    typealias Action = Machine.Action

    static func at(_ milliseconds: Int) -> PoolInstant { PoolStateMachineTests.at(milliseconds) }

    static func configuration(max: Int, perHandoff: Int, perConnection: Int = 1) -> Machine.Configuration {
        var configuration = PoolStateMachineTests.configuration(max: max, acquireTimeout: .seconds(1))
        configuration.statementsPerHandoff = perHandoff
        configuration.statementsPerConnection = perConnection
        return configuration
    }

    static func machine(_ configuration: Machine.Configuration, open n: Int) -> Machine {
        PoolStateMachineMultiplexingTests.machine(configuration, open: n)
    }

    static func pipelined(_ machine: inout Machine, _ waiter: UInt64, at time: Int = 1) -> [Action] {
        Array(machine.requestConnection(waiter, now: at(time), kind: .pipelinedStatement))
    }

    static let deadline = Action.scheduleTimer(.waiterDeadline, at: at(1001))

    @Test func aStatementTakesAnIdleConnectionAloneAndNothingJoinsIt() {
        var machine = Self.machine(Self.configuration(max: 1, perHandoff: 4), open: 1)
        #expect(Self.pipelined(&machine, 1) == [.lease(1, to: 1)])
        // The connection runs 1's statement: 2 waits rather than queue behind it.
        #expect(Self.pipelined(&machine, 2) == [Self.deadline])
        #expect(machine.counts == .init(open: 1, idle: 0, leased: 1, connecting: 0, waiters: 1, shared: 1, statements: 1))
        // 1 finishes: the connection comes back through the ordinary release, then goes to 2.
        #expect(Array(machine.statementFinished(1, now: Self.at(2))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(3))) == [.lease(1, to: 2)])
        #expect(Array(machine.statementFinished(1, now: Self.at(4))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(5))) == [])
        #expect(machine.counts == .init(open: 1, idle: 1, leased: 0, connecting: 0, waiters: 0))
    }

    @Test func aFreeConnectionTakesTheWaitingStatementsTogetherUpToTheLimit() {
        var machine = Self.machine(Self.configuration(max: 1, perHandoff: 3), open: 1)
        _ = Self.pipelined(&machine, 1)
        for waiter in 2...6 { _ = Self.pipelined(&machine, UInt64(waiter)) }
        #expect(Array(machine.statementFinished(1, now: Self.at(2))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(3))) == [.lease(1, to: 2), .lease(1, to: 3), .lease(1, to: 4)])
        #expect(machine.counts == .init(open: 1, idle: 0, leased: 1, connecting: 0, waiters: 2, shared: 1, statements: 3))
        // A finished statement's place is not given away: the rest wait for the whole handoff.
        #expect(Array(machine.statementFinished(1, now: Self.at(4))) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(4))) == [])
        #expect(Array(machine.statementFinished(1, now: Self.at(5))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(6))) == [.lease(1, to: 5), .lease(1, to: 6)])
    }

    @Test func aHandoffStopsAtAWaiterThatWantsTheConnectionAlone() {
        var machine = Self.machine(Self.configuration(max: 1, perHandoff: 8), open: 1)
        _ = Self.pipelined(&machine, 1)
        _ = Self.pipelined(&machine, 2)
        _ = Self.pipelined(&machine, 3)
        _ = machine.requestConnection(4, now: Self.at(1), kind: .exclusive)
        _ = Self.pipelined(&machine, 5)
        _ = machine.statementFinished(1, now: Self.at(2))
        // First come, first served: 5 does not overtake 4.
        #expect(Array(machine.connectionReleased(1, now: Self.at(3))) == [.lease(1, to: 2), .lease(1, to: 3)])
        _ = machine.statementFinished(1, now: Self.at(4))
        #expect(Array(machine.statementFinished(1, now: Self.at(4))) == [.reclaim(1)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(5))) == [.lease(1, to: 4)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(6))) == [.lease(1, to: 5)])
    }

    @Test func withTheFeatureOffAPipelinedStatementLeasesAlone() {
        var machine = Self.machine(Self.configuration(max: 1, perHandoff: 1), open: 1)
        #expect(Self.pipelined(&machine, 1) == [.lease(1, to: 1)])
        _ = Self.pipelined(&machine, 2)
        _ = Self.pipelined(&machine, 3)
        #expect(machine.counts == .init(open: 1, idle: 0, leased: 1, connecting: 0, waiters: 2, shared: 0, statements: 0))
        // An exclusive lease: released, not finished, and the next takes it alone.
        #expect(Array(machine.connectionReleased(1, now: Self.at(2))) == [.lease(1, to: 2)])
        #expect(machine.counts.waiters == 1)
    }

    @Test func multiplexedStatementsNeverJoinAHandoff() {
        var machine = Self.machine(Self.configuration(max: 1, perHandoff: 4, perConnection: 4), open: 1)
        #expect(Self.pipelined(&machine, 1) == [.lease(1, to: 1)])
        #expect(Array(machine.requestConnection(2, now: Self.at(1), kind: .statement)) == [Self.deadline])
        #expect(Array(machine.statementFinished(1, now: Self.at(2))) == [.reclaim(1)])
        // The released connection goes to the multiplexed statement, whose connection others may join.
        #expect(Array(machine.connectionReleased(1, now: Self.at(3))) == [.lease(1, to: 2)])
        #expect(Array(machine.requestConnection(3, now: Self.at(4), kind: .statement)) == [.lease(1, to: 3)])
        #expect(Self.pipelined(&machine, 4, at: 4) == [])
        #expect(machine.counts.waiters == 1)
    }

    @Test func aHandoffWhoseConnectionClosesTakesOnlyItsStatements() {
        var machine = Self.machine(Self.configuration(max: 2, perHandoff: 4), open: 2)
        _ = Self.pipelined(&machine, 1)
        _ = Self.pipelined(&machine, 2)
        for waiter in 3...5 { _ = Self.pipelined(&machine, UInt64(waiter)) }
        _ = machine.statementFinished(2, now: Self.at(2))
        #expect(Array(machine.connectionReleased(2, now: Self.at(3))) == [.lease(2, to: 3), .lease(2, to: 4), .lease(2, to: 5)])
        // Nobody waits and the minimum is 0: nothing replaces it yet.
        #expect(Array(machine.connectionClosed(2, now: Self.at(4))) == [])
        #expect(machine.counts == .init(open: 1, idle: 0, leased: 1, connecting: 0, waiters: 0, shared: 1, statements: 1))
        // The closed connection's statements finishing afterwards change nothing.
        #expect(Array(machine.statementFinished(2, now: Self.at(5))) == [])
    }

    /// Random events against the shared model (see `PoolModel`): pipelined statements share a
    /// connection only within one handoff, never beyond the limit, never with multiplexed ones;
    /// every waiter ends exactly once, and everything comes back.
    @Test(arguments: 0..<20)
    func randomEventsKeepTheInvariants(seed: UInt64) {
        PoolStateMachineMultiplexingTests.checkRandomEvents(seed: seed) {
            $0.statementsPerHandoff = 3
            $0.statementsPerConnection = seed % 2 == 0 ? 1 : 3
        }
    }
}
