import PGPoolTestSupport
import PGWireTestSupport
import Testing

@testable import PGClient

/// The pool's decisions with a fake clock: instants are plain offsets the test chooses.
@Suite struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<Int, PoolInstant>
    typealias Action = Machine.Action

    static func at(_ milliseconds: Int) -> PoolInstant {
        PoolInstant(offset: .milliseconds(milliseconds))
    }

    static func configuration(
        min: Int = 0, max: Int = 2, acquireTimeout: Duration = .seconds(1), idleTimeout: Duration? = nil,
        maxLifetime: Duration? = nil, jitter: Duration = .zero, healthCheck: Duration? = nil
    ) -> Machine.Configuration {
        .init(
            minConnections: min, maxConnections: max, acquireTimeout: acquireTimeout, idleTimeout: idleTimeout,
            maxLifetime: maxLifetime, maxLifetimeJitter: jitter, healthCheckInterval: healthCheck,
            backoffInitial: .milliseconds(100), backoffMaximum: .milliseconds(400))
    }

    /// A running machine with connections 1…n open and idle at time 0.
    static func machine(_ configuration: Machine.Configuration, open n: Int = 0) -> Machine {
        var machine = Machine(configuration: configuration)
        _ = machine.start(now: at(0))
        for id in 1...max(n, 1) where n > 0 {
            _ = machine.requestConnection(UInt64(1000 + id), now: at(0))
        }
        for id in 1...max(n, 1) where n > 0 {
            _ = machine.connectionOpened(id, now: at(0), lifetimeJitter: 0)
        }
        for id in 1...max(n, 1) where n > 0 {
            _ = machine.connectionReleased(id, now: at(0))
        }
        _ = machine.timerFired(.waiterDeadline, now: at(0))  // disarms it: nobody waits
        return machine
    }

    @Test func startOpensTheMinimum() {
        var machine = Machine(configuration: Self.configuration(min: 2, max: 4))
        #expect(Array(machine.start(now: Self.at(0))) == [.createConnection, .createConnection])
        #expect(Array(machine.start(now: Self.at(0))) == [])
    }

    @Test func waitersBeforeStartWaitForIt() {
        var machine = Machine(configuration: Self.configuration())
        #expect(Array(machine.requestConnection(1, now: Self.at(0))) == [.scheduleTimer(.waiterDeadline, at: Self.at(1000))])
        #expect(Array(machine.start(now: Self.at(5))) == [.createConnection])
        #expect(Array(machine.connectionOpened(7, now: Self.at(6), lifetimeJitter: 0)) == [.lease(7, to: 1)])
    }

    @Test func servesWaitersFirstComeFirstServed() {
        var machine = Self.machine(Self.configuration(max: 1), open: 1)
        #expect(Array(machine.requestConnection(1, now: Self.at(1))) == [.lease(1, to: 1)])
        #expect(Array(machine.requestConnection(2, now: Self.at(2))) == [.scheduleTimer(.waiterDeadline, at: Self.at(1002))])
        #expect(Array(machine.requestConnection(3, now: Self.at(3))) == [])
        #expect(Array(machine.requestConnection(4, now: Self.at(4))) == [])
        #expect(Array(machine.connectionReleased(1, now: Self.at(5))) == [.lease(1, to: 2)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(6))) == [.lease(1, to: 3)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(7))) == [.lease(1, to: 4)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(8))) == [])
        #expect(machine.counts == .init(open: 1, idle: 1, leased: 0, connecting: 0, waiters: 0))
    }

    @Test func aNewCallerDoesNotJumpTheQueue() {
        var machine = Self.machine(Self.configuration(max: 1), open: 1)
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.requestConnection(2, now: Self.at(1))
        // The connection goes to waiter 2 directly, never through the idle list where 3 could take it.
        #expect(Array(machine.connectionReleased(1, now: Self.at(2))) == [.lease(1, to: 2)])
        #expect(Array(machine.requestConnection(3, now: Self.at(3))) == [])
        #expect(machine.counts.waiters == 1)
    }

    @Test func leasesTheMostRecentlyReturnedIdleConnection() {
        var machine = Self.machine(Self.configuration(max: 3), open: 3)
        #expect(Array(machine.requestConnection(1, now: Self.at(1))) == [.lease(3, to: 1)])
        #expect(Array(machine.requestConnection(2, now: Self.at(1))) == [.lease(2, to: 2)])
        _ = machine.connectionReleased(3, now: Self.at(2))
        #expect(Array(machine.requestConnection(3, now: Self.at(3))) == [.lease(3, to: 3)])
    }

    @Test func opensAConnectionPerWaiterUpToTheMaximum() {
        var machine = Self.machine(Self.configuration(max: 2))
        #expect(Array(machine.requestConnection(1, now: Self.at(0))) == [.scheduleTimer(.waiterDeadline, at: Self.at(1000)), .createConnection])
        #expect(Array(machine.requestConnection(2, now: Self.at(0))) == [.createConnection])
        #expect(Array(machine.requestConnection(3, now: Self.at(0))) == [])
        #expect(machine.counts.connecting == 2)
        #expect(Array(machine.connectionOpened(10, now: Self.at(1), lifetimeJitter: 0)) == [.lease(10, to: 1)])
        #expect(Array(machine.connectionOpened(11, now: Self.at(1), lifetimeJitter: 0)) == [.lease(11, to: 2)])
    }

    @Test func waitersTimeOutInOrderWithOneTimer() {
        var machine = Self.machine(Self.configuration(max: 1), open: 1)
        _ = machine.requestConnection(1, now: Self.at(0))
        #expect(Array(machine.requestConnection(2, now: Self.at(0))) == [.scheduleTimer(.waiterDeadline, at: Self.at(1000))])
        #expect(Array(machine.requestConnection(3, now: Self.at(300))) == [])
        // Early or spurious firing fails nobody and re-arms for the head.
        #expect(Array(machine.timerFired(.waiterDeadline, now: Self.at(999))) == [.scheduleTimer(.waiterDeadline, at: Self.at(1000))])
        #expect(Array(machine.timerFired(.waiterDeadline, now: Self.at(1000))) == [
            .failWaiter(2, .timeout), .scheduleTimer(.waiterDeadline, at: Self.at(1300)),
        ])
        #expect(Array(machine.timerFired(.waiterDeadline, now: Self.at(1400))) == [.failWaiter(3, .timeout)])
        #expect(machine.counts.waiters == 0)
        // A timed-out waiter is gone: the connection goes idle.
        #expect(Array(machine.connectionReleased(1, now: Self.at(1500))) == [])
        #expect(machine.counts.idle == 1)
    }

    @Test func aCancelledWaiterLeavesAtOnce() {
        var machine = Self.machine(Self.configuration(max: 1), open: 1)
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.requestConnection(2, now: Self.at(0))
        _ = machine.requestConnection(3, now: Self.at(0))
        #expect(Array(machine.cancelWaiter(2)) == [.failWaiter(2, .cancelled)])
        #expect(Array(machine.cancelWaiter(2)) == [])
        #expect(Array(machine.cancelWaiter(1)) == [])  // already holds a connection
        #expect(Array(machine.connectionReleased(1, now: Self.at(1))) == [.lease(1, to: 3)])
    }

    @Test func lifetimesAreShortenedByTheJitter() {
        var machine = Self.machine(Self.configuration(min: 0, max: 2, maxLifetime: .seconds(60), jitter: .seconds(10)))
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.requestConnection(2, now: Self.at(0))
        _ = machine.connectionOpened(10, now: Self.at(0), lifetimeJitter: 0.5)  // expires at 55 s
        _ = machine.connectionOpened(11, now: Self.at(0), lifetimeJitter: 0.0)  // expires at 60 s
        #expect(machine.connections[10]?.expiresAt == Self.at(55_000))
        #expect(machine.connections[11]?.expiresAt == Self.at(60_000))
        #expect(Array(machine.connectionReleased(10, now: Self.at(1000))) == [.scheduleTimer(.housekeeping, at: Self.at(55_000))])
        #expect(Array(machine.connectionReleased(11, now: Self.at(1000))) == [])
        #expect(Array(machine.timerFired(.housekeeping, now: Self.at(55_000))) == [
            .closeConnection(10), .scheduleTimer(.housekeeping, at: Self.at(60_000)),
        ])
        #expect(Array(machine.timerFired(.housekeeping, now: Self.at(60_000))) == [.closeConnection(11)])
        #expect(machine.counts.open == 0)
    }

    @Test func anExpiredConnectionIsClosedWhenItComesBackAndReplacedForWaiters() {
        var machine = Self.machine(Self.configuration(max: 1, acquireTimeout: .seconds(100), maxLifetime: .seconds(60)))
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.connectionOpened(10, now: Self.at(0), lifetimeJitter: 0)
        _ = machine.requestConnection(2, now: Self.at(59_000))
        #expect(Array(machine.connectionReleased(10, now: Self.at(61_000))) == [.closeConnection(10), .createConnection])
        #expect(Array(machine.connectionOpened(11, now: Self.at(61_100), lifetimeJitter: 0)) == [.lease(11, to: 2)])
    }

    @Test func idleConnectionsAboveTheMinimumTimeOut() {
        var machine = Self.machine(Self.configuration(min: 1, max: 3, idleTimeout: .seconds(30)), open: 3)
        #expect(machine.counts.open == 3)
        #expect(Array(machine.timerFired(.housekeeping, now: Self.at(29_000))) == [.scheduleTimer(.housekeeping, at: Self.at(30_000))])
        // Least recently used first; the minimum stays, and with it the timer sleeps.
        #expect(Array(machine.timerFired(.housekeeping, now: Self.at(30_000))) == [.closeConnection(1), .closeConnection(2)])
        #expect(machine.counts == .init(open: 1, idle: 1, leased: 0, connecting: 0, waiters: 0))
    }

    @Test func theMinimumIsRefilledWhenAConnectionBreaks() {
        var machine = Self.machine(Self.configuration(min: 2, max: 4))
        _ = machine.connectionOpened(1, now: Self.at(0), lifetimeJitter: 0)
        _ = machine.connectionOpened(2, now: Self.at(0), lifetimeJitter: 0)
        #expect(machine.counts == .init(open: 2, idle: 2, leased: 0, connecting: 0, waiters: 0))
        #expect(Array(machine.connectionClosed(1, now: Self.at(10))) == [.createConnection])
        #expect(Array(machine.connectionClosed(1, now: Self.at(11))) == [])  // reported twice
        _ = machine.requestConnection(5, now: Self.at(12))
        #expect(Array(machine.connectionClosed(2, now: Self.at(13))) == [.createConnection])
    }

    @Test func aBrokenLeasedConnectionIsForgottenAndItsReturnIgnored() {
        var machine = Self.machine(Self.configuration(max: 1), open: 1)
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.requestConnection(2, now: Self.at(0))
        #expect(Array(machine.connectionClosed(1, now: Self.at(5))) == [.createConnection])
        #expect(Array(machine.connectionReleased(1, now: Self.at(6))) == [])
        #expect(Array(machine.connectionOpened(2, now: Self.at(7), lifetimeJitter: 0)) == [.lease(2, to: 2)])
    }

    @Test func failedConnectsBackOffAndProbeOneAtATime() {
        var machine = Self.machine(Self.configuration(max: 4, acquireTimeout: .seconds(10)))
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.requestConnection(2, now: Self.at(0))
        #expect(machine.counts.connecting == 2)
        #expect(Array(machine.connectFailed(now: Self.at(10), backoffJitter: 0)) == [.scheduleTimer(.reconnect, at: Self.at(110))])
        #expect(Array(machine.connectFailed(now: Self.at(11), backoffJitter: 0)) == [])
        // No storm: more waiters arrive, nothing is opened during the backoff.
        #expect(Array(machine.requestConnection(3, now: Self.at(50))) == [])
        // Connects that failed together count once.
        #expect(machine.consecutiveConnectFailures == 1)
        #expect(Array(machine.timerFired(.reconnect, now: Self.at(110))) == [.createConnection])
        #expect(Array(machine.requestConnection(4, now: Self.at(112))) == [])
        #expect(Array(machine.connectFailed(now: Self.at(120), backoffJitter: 0)) == [.scheduleTimer(.reconnect, at: Self.at(320))])
        #expect(Array(machine.timerFired(.reconnect, now: Self.at(320))) == [.createConnection])
        #expect(Array(machine.connectFailed(now: Self.at(330), backoffJitter: 0)) == [.scheduleTimer(.reconnect, at: Self.at(730))])
        #expect(Array(machine.timerFired(.reconnect, now: Self.at(730))) == [.createConnection])
        // The maximum caps the backoff; the jitter shortens it by up to a quarter.
        #expect(Array(machine.connectFailed(now: Self.at(740), backoffJitter: 1)) == [.scheduleTimer(.reconnect, at: Self.at(1040))])
        // A timer that fires early re-arms for the end of the backoff.
        #expect(Array(machine.timerFired(.reconnect, now: Self.at(1000))) == [.scheduleTimer(.reconnect, at: Self.at(1040))])
        #expect(Array(machine.timerFired(.reconnect, now: Self.at(1040))) == [.createConnection])
        // Success: the probe serves the first waiter, and the rest are opened at once.
        #expect(Array(machine.connectionOpened(20, now: Self.at(1050), lifetimeJitter: 0)) == [
            .lease(20, to: 1), .createConnection, .createConnection, .createConnection,
        ])
        #expect(machine.consecutiveConnectFailures == 0)
    }

    @Test func idleConnectionsAreHealthChecked() {
        var machine = Self.machine(Self.configuration(max: 2, healthCheck: .seconds(10)))
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.connectionOpened(1, now: Self.at(0), lifetimeJitter: 0)
        #expect(Array(machine.connectionReleased(1, now: Self.at(1000))) == [.scheduleTimer(.housekeeping, at: Self.at(11_000))])
        _ = machine.timerFired(.waiterDeadline, now: Self.at(1000))
        #expect(Array(machine.timerFired(.housekeeping, now: Self.at(11_000))) == [.checkConnection(1)])
        // While it is checked, it is not handed out.
        #expect(Array(machine.requestConnection(2, now: Self.at(11_001))) == [.scheduleTimer(.waiterDeadline, at: Self.at(12_001)), .createConnection])
        #expect(Array(machine.healthCheckSucceeded(1, now: Self.at(11_002))) == [.lease(1, to: 2)])
        #expect(Array(machine.connectionReleased(1, now: Self.at(11_003))) == [.scheduleTimer(.housekeeping, at: Self.at(21_003))])
    }

    @Test func shutdownWaitsForHoldersThenCompletes() {
        var machine = Self.machine(Self.configuration(max: 2), open: 2)
        _ = machine.requestConnection(1, now: Self.at(0))  // leases 2
        _ = machine.requestConnection(2, now: Self.at(0))  // leases 1
        _ = machine.requestConnection(3, now: Self.at(0))  // waits
        _ = machine.connectionReleased(1, now: Self.at(1))  // to waiter 3
        _ = machine.connectionReleased(1, now: Self.at(2))  // idle
        #expect(Array(machine.shutdown(now: Self.at(3), gracePeriod: .seconds(5))) == [
            .closeConnection(1), .scheduleTimer(.shutdownDeadline, at: Self.at(5003)),
        ])
        #expect(Array(machine.requestConnection(4, now: Self.at(4))) == [.failWaiter(4, .shutdown)])
        #expect(Array(machine.connectionReleased(2, now: Self.at(5))) == [.closeConnection(2), .shutdownCompleted])
        #expect(machine.lifecycle == .shutDown)
        #expect(Array(machine.timerFired(.shutdownDeadline, now: Self.at(5003))) == [])
    }

    @Test func shutdownFailsWaitersAndClosesHoldersAfterTheGracePeriod() {
        var machine = Self.machine(Self.configuration(max: 1), open: 1)
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.requestConnection(2, now: Self.at(0))
        _ = machine.requestConnection(3, now: Self.at(0))
        #expect(Array(machine.shutdown(now: Self.at(1), gracePeriod: .seconds(2))) == [
            .failWaiter(2, .shutdown), .failWaiter(3, .shutdown), .scheduleTimer(.shutdownDeadline, at: Self.at(2001)),
        ])
        #expect(Array(machine.timerFired(.shutdownDeadline, now: Self.at(2001))) == [.closeConnection(1), .shutdownCompleted])
        #expect(Array(machine.connectionReleased(1, now: Self.at(3000))) == [])
    }

    @Test func shutdownWaitsForConnectsUnderWayAndClosesWhatTheyOpen() {
        var machine = Self.machine(Self.configuration(max: 2))
        _ = machine.requestConnection(1, now: Self.at(0))
        _ = machine.requestConnection(2, now: Self.at(0))
        #expect(Array(machine.shutdown(now: Self.at(1), gracePeriod: nil)) == [.failWaiter(1, .shutdown), .failWaiter(2, .shutdown)])
        #expect(Array(machine.connectionOpened(5, now: Self.at(2), lifetimeJitter: 0)) == [.closeConnection(5)])
        #expect(Array(machine.connectFailed(now: Self.at(3), backoffJitter: 0)) == [.shutdownCompleted])
    }

    @Test func anImmediateShutdownClosesEverything() {
        var machine = Self.machine(Self.configuration(max: 2), open: 2)
        _ = machine.requestConnection(1, now: Self.at(0))
        #expect(Array(machine.shutdown(now: Self.at(1), gracePeriod: .zero)) == [
            .closeConnection(1), .closeConnection(2), .shutdownCompleted,
        ])
    }

    /// Random events against the shared model (see `PoolModel`): no connection is ever leased
    /// to two waiters, leases go first come first served, every waiter ends exactly once, the
    /// limits and the counts hold, and everything comes back.
    @Test(arguments: 0..<20)
    func randomEventsKeepTheInvariants(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var scenario = PoolScenario(configuration: Self.configuration(
            min: 1, max: 3, acquireTimeout: .milliseconds(50), idleTimeout: .milliseconds(200),
            maxLifetime: .seconds(1), jitter: .milliseconds(100), healthCheck: .milliseconds(100)))
        scenario.start()
        for _ in 0..<400 { scenario.step(&random) }
        scenario.drain()
        #expect(scenario.model.violations == [])
        #expect(scenario.machine.lifecycle == .shutDown)
    }
}
