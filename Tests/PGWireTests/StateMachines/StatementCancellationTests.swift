import Testing

@testable import PGWire

@Suite("Statement cancellation")
struct StatementCancellationTests {
    let first = RequestID(1)

    @Test func aStatementThatEndsAfterTheCancelWasDeliveredReleasesTheHeldRequests() {
        var cancellation = StatementCancellation(ticksBeforeGivingUp: 5)
        #expect(cancellation.cancelRequested(first) == .sendCancel)
        #expect(cancellation.isActive)
        #expect(cancellation.request == first)
        #expect(cancellation.cancelDelivered() == .none)
        #expect(cancellation.isActive)  // delivered is not done: the statement has not ended
        #expect(cancellation.requestEnded(first) == .releaseHeldRequests)
        #expect(!cancellation.isActive)
    }

    @Test func aStatementThatEndsBeforeTheCancelIsDeliveredWaitsForTheDelivery() {
        // Releasing earlier could let the cancel reach the next statement.
        var cancellation = StatementCancellation(ticksBeforeGivingUp: 5)
        _ = cancellation.cancelRequested(first)
        #expect(cancellation.requestEnded(first) == .none)
        #expect(cancellation.isActive)
        #expect(cancellation.tick() == .none)  // ended: no resend, no give-up
        #expect(cancellation.cancelDelivered() == .releaseHeldRequests)
        #expect(!cancellation.isActive)
    }

    @Test func theCancelIsSentAgainOnEachTickWhileTheStatementRunsOnThenTheConnectionIsGivenUp() {
        var cancellation = StatementCancellation(ticksBeforeGivingUp: 3)
        _ = cancellation.cancelRequested(first)
        _ = cancellation.cancelDelivered()
        #expect(cancellation.tick() == .sendCancel)  // the first may have come before the statement
        #expect(cancellation.tick() == .none)  // the second is not delivered yet: not a third
        #expect(cancellation.cancelDelivered() == .none)
        #expect(cancellation.tick() == .closeConnection)
        #expect(!cancellation.isActive)
        #expect(cancellation.requestEnded(first) == .none)
    }

    @Test func aResentCancelThatEndsTheStatementReleasesOnceBothAreDelivered() {
        var cancellation = StatementCancellation(ticksBeforeGivingUp: 5)
        _ = cancellation.cancelRequested(first)
        _ = cancellation.cancelDelivered()
        #expect(cancellation.tick() == .sendCancel)
        #expect(cancellation.requestEnded(first) == .none)
        #expect(cancellation.cancelDelivered() == .releaseHeldRequests)
    }

    @Test func anUndeliveredCancelStillGivesUpAtTheBound() {
        // A CancelRequest whose connection never answers must not hold the requests forever.
        var cancellation = StatementCancellation(ticksBeforeGivingUp: 2)
        _ = cancellation.cancelRequested(first)
        #expect(cancellation.tick() == .none)
        #expect(cancellation.tick() == .closeConnection)
    }

    @Test func onlyOneCancellationAtATimeAndOnlyItsRequestEndsIt() {
        var cancellation = StatementCancellation(ticksBeforeGivingUp: 5)
        _ = cancellation.cancelRequested(first)
        #expect(cancellation.cancelRequested(RequestID(2)) == .none)
        #expect(cancellation.request == first)
        _ = cancellation.cancelDelivered()
        #expect(cancellation.requestEnded(RequestID(2)) == .none)
        #expect(cancellation.isActive)
    }

    @Test func eventsWithoutACancellationDoNothing() {
        var cancellation = StatementCancellation(ticksBeforeGivingUp: 0)
        #expect(cancellation.ticksBeforeGivingUp == 1)
        #expect(cancellation.tick() == .none)
        #expect(cancellation.cancelDelivered() == .none)
        #expect(cancellation.requestEnded(first) == .none)
        _ = cancellation.cancelRequested(first)
        cancellation.connectionClosed()
        #expect(!cancellation.isActive)
        #expect(cancellation.cancelRequested(first) == .sendCancel)
    }
}
