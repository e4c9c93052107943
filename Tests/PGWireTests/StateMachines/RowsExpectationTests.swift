import NIOCore
import Testing

@testable import PGWire

/// `rowsExpectation` says when a DataRow may be taken without the machine; doing so must end
/// in the same actions and state as feeding every DataRow to it.
@Suite("Connection state machine: rows taken on the fast path")
struct RowsExpectationTests {
    @Test func expectedOnlyOnceExecuteIsNextAndUntilTheStatementEnds() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .batch([.bindExecute, .bindExecute]))])
        #expect(machine.rowsExpectation == nil)  // BindComplete is due first
        _ = machine.messageReceived(.bindComplete)
        #expect(machine.rowsExpectation == RowsExpectation(statement: 0, isFirstRow: true))
        machine.rowsStarted()
        #expect(machine.rowsExpectation == RowsExpectation(statement: 0, isFirstRow: false))
        #expect(machine.messageReceived(.commandComplete(Backend.done("SELECT 1")))
            == .commandComplete(q1, statement: 0, Backend.done("SELECT 1")))
        #expect(machine.rowsExpectation == nil)
        _ = machine.messageReceived(.bindComplete)
        #expect(machine.rowsExpectation == RowsExpectation(statement: 1, isFirstRow: true))
        _ = machine.messageReceived(.commandComplete(Backend.done("SELECT 0")))
        #expect(machine.messageReceived(Backend.ready()) == .requestCompleted(q1, .idle))
        #expect(machine.rowsExpectation == nil)
    }

    @Test func aSimpleQueryExpectsRowsAfterItsRowDescription() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        #expect(machine.rowsExpectation == nil)
        _ = machine.messageReceived(.rowDescription(Backend.columns))
        #expect(machine.rowsExpectation == RowsExpectation(statement: 0, isFirstRow: false))
    }

    /// Every DataRow taken on the fast path, the other messages fed: the same actions, in
    /// order, as feeding them all, and the machine ends in the same state.
    @Test func fastPathGivesTheSameActions() {
        let messages: [BackendMessage] = [
            .bindComplete, .dataRow(Backend.row("1")), .dataRow(Backend.row("2")),
            .commandComplete(Backend.done("SELECT 2")),
            .bindComplete, .commandComplete(Backend.done("SELECT 0")),
            .bindComplete, .dataRow(Backend.row("3")), .portalSuspended,
            Backend.ready(),
            .rowDescription(Backend.columns), .dataRow(Backend.row("4")),
            .commandComplete(Backend.done("SELECT 1")), Backend.ready(),
        ]
        let requests: [(RequestID, QueryRequest)] = [
            (q1, .batch([.bindExecute, .bindExecute, .bindExecute])), (q2, .simple),
        ]
        var reference = ConnectionStateMachine.connected(submitting: requests)
        let expected = reference.receive(messages)

        var machine = ConnectionStateMachine.connected(submitting: requests)
        var actions: [ConnectionAction] = []
        var taken = 0
        for message in messages {
            if case .dataRow(let row) = message, let expectation = machine.rowsExpectation {
                if expectation.isFirstRow { machine.rowsStarted() }
                actions.append(.dataRow(machine.requestsInFlight == 2 ? q1 : q2, statement: expectation.statement, row))
                taken += 1
            } else {
                actions.append(machine.messageReceived(message))
            }
        }
        #expect(taken == 4)
        #expect(actions == expected)
        #expect(machine.requestsInFlight == 0)
    }

    /// After rows started on the fast path, a message that may not follow rows is still a
    /// protocol violation.
    @Test func rowsStartedKeepsTheMachineStrict() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .extended(.bindExecute))])
        _ = machine.messageReceived(.bindComplete)
        machine.rowsStarted()
        #expect(machine.messageReceived(.emptyQueryResponse) == ConnectionAction.unexpected("EmptyQueryResponse", failing: [q1]))
        #expect(machine.rowsExpectation == nil)
    }

    @Test func closingForgetsTheExpectation() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .extended(.bindExecute))])
        _ = machine.messageReceived(.bindComplete)
        #expect(machine.rowsExpectation != nil)
        _ = machine.connectionClosed()
        #expect(machine.rowsExpectation == nil)
    }
}
