import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: extended query")
struct ExtendedQueryTests {
    static func running(_ steps: ExtendedSteps) -> ConnectionStateMachine {
        .connected(submitting: [(q1, .extended(steps))])
    }

    @Test func stepsAreAnsweredInProtocolOrder() {
        #expect(ExtendedSteps.parseBindDescribeExecute.first == .parse)
        #expect(ExtendedSteps.bindExecute.first == .bind)
        #expect(ExtendedSteps([.execute, .close]).first == .execute)
        #expect(ExtendedSteps().first == nil)
        #expect(QueryRequest.simple.statementCount == nil)
        #expect(QueryRequest.extended(.prepare).statementCount == 1)
        #expect(QueryRequest.batch([.prepare, .bindExecute]).statementCount == 2)
    }

    @Test func parseBindDescribeExecuteSync() {
        var machine = Self.running(.parseBindDescribeExecute)
        let actions = machine.receive([
            .parseComplete, .bindComplete, .rowDescription(Backend.columns),
            .dataRow(Backend.row("1")), .dataRow(Backend.row("2")),
            .commandComplete(Backend.done("SELECT 2")), Backend.ready(),
        ])
        #expect(actions == [
            .parseComplete(q1, statement: 0),
            .none,
            .rowDescription(q1, statement: 0, Backend.columns),
            .dataRow(q1, statement: 0, Backend.row("1")),
            .dataRow(q1, statement: 0, Backend.row("2")),
            .commandComplete(q1, statement: 0, Backend.done("SELECT 2")),
            .requestCompleted(q1, .idle),
        ])
        #expect(machine.requestsInFlight == 0)
    }

    @Test func portalWithoutRowsIsDescribedAsNoData() {
        var machine = Self.running(.parseBindDescribeExecute)
        #expect(machine.receive([.parseComplete, .bindComplete, .noData, .commandComplete(Backend.done("INSERT 0 1")), Backend.ready()]) == [
            .parseComplete(q1, statement: 0), .none, .noData(q1, statement: 0),
            .commandComplete(q1, statement: 0, Backend.done("INSERT 0 1")), .requestCompleted(q1, .idle),
        ])
    }

    @Test func prepareDescribesParametersThenColumns() {
        var machine = Self.running(.prepare)
        #expect(machine.receive([.parseComplete, .parameterDescription(Backend.parameterTypes), .rowDescription(Backend.columns), Backend.ready()]) == [
            .parseComplete(q1, statement: 0),
            .parameterDescription(q1, statement: 0, Backend.parameterTypes),
            .rowDescription(q1, statement: 0, Backend.columns),
            .requestCompleted(q1, .idle),
        ])
    }

    @Test func preparingAStatementWithoutRowsEndsInNoData() {
        var machine = Self.running(.prepare)
        #expect(machine.receive([.parseComplete, .parameterDescription(Backend.parameterTypes), .noData, Backend.ready()]) == [
            .parseComplete(q1, statement: 0),
            .parameterDescription(q1, statement: 0, Backend.parameterTypes),
            .noData(q1, statement: 0),
            .requestCompleted(q1, .idle),
        ])
    }

    @Test func describedStatementWithoutParameterDescriptionIsAViolation() {
        var machine = Self.running(.prepare)
        _ = machine.messageReceived(.parseComplete)
        #expect(machine.messageReceived(.rowDescription(Backend.columns)) == .unexpected("RowDescription", failing: [q1]))
    }

    @Test func prepareDescribeBindAndExecuteInOneRequest() {
        var machine = Self.running([.parse, .describeStatement, .bind, .execute])
        #expect(machine.receive([
            .parseComplete, .parameterDescription(Backend.parameterTypes), .noData, .bindComplete,
            .commandComplete(Backend.done("INSERT 0 1")), Backend.ready(),
        ]) == [
            .parseComplete(q1, statement: 0), .parameterDescription(q1, statement: 0, Backend.parameterTypes),
            .noData(q1, statement: 0), .none, .commandComplete(q1, statement: 0, Backend.done("INSERT 0 1")),
            .requestCompleted(q1, .idle),
        ])
    }

    @Test func cachedStatementIsBoundAndExecuted() {
        var machine = Self.running(.bindExecute)
        #expect(machine.receive([.bindComplete, .dataRow(Backend.row("7")), .commandComplete(Backend.done("SELECT 1")), Backend.ready()]) == [
            .none, .dataRow(q1, statement: 0, Backend.row("7")),
            .commandComplete(q1, statement: 0, Backend.done("SELECT 1")), .requestCompleted(q1, .idle),
        ])
    }

    @Test func rowLimitSuspendsThePortal() {
        var machine = Self.running(.bindExecute)
        #expect(machine.receive([.bindComplete, .dataRow(Backend.row("1")), .dataRow(Backend.row("2")), .portalSuspended, Backend.ready()]) == [
            .none, .dataRow(q1, statement: 0, Backend.row("1")), .dataRow(q1, statement: 0, Backend.row("2")),
            .portalSuspended(q1, statement: 0), .requestCompleted(q1, .idle),
        ])
    }

    @Test func portalSuspendedBeforeAnyRow() {
        var machine = Self.running(.bindExecute)
        #expect(machine.receive([.bindComplete, .portalSuspended, Backend.ready()]) == [
            .none, .portalSuspended(q1, statement: 0), .requestCompleted(q1, .idle),
        ])
    }

    @Test func emptyStatementAnswersExecuteWithEmptyQueryResponse() {
        var machine = Self.running(.parseBindDescribeExecute)
        #expect(machine.receive([.parseComplete, .bindComplete, .noData, .emptyQueryResponse, Backend.ready()]).suffix(2) == [
            .emptyQuery(q1, statement: 0), .requestCompleted(q1, .idle),
        ])
    }

    @Test func closeStep() {
        var machine = Self.running(.close)
        #expect(machine.receive([.closeComplete, Backend.ready()]) == [.none, .requestCompleted(q1, .idle)])
    }

    @Test func closeAfterExecute() {
        var machine = Self.running([.bind, .execute, .close])
        #expect(machine.receive([.bindComplete, .commandComplete(Backend.done("SELECT 0")), .closeComplete, Backend.ready()]) == [
            .none, .commandComplete(q1, statement: 0, Backend.done("SELECT 0")), .none, .requestCompleted(q1, .idle),
        ])
    }

    @Test func syncAloneIsAnsweredByReadyForQuery() {
        var machine = Self.running([])
        #expect(machine.messageReceived(Backend.ready(.inTransaction)) == .requestCompleted(q1, .inTransaction))
    }

    /// The server's answers to Parse, Bind, Describe portal and Execute of a query with rows.
    static let answers: [BackendMessage] = [
        .parseComplete, .bindComplete, .rowDescription(Backend.columns), .dataRow(Backend.row("1")),
        .commandComplete(Backend.done("SELECT 1")),
    ]

    @Test(arguments: 0..<answers.count)
    func errorResponseAtEveryStepFailsTheStatementAndWaitsForReadyForQuery(answered: Int) {
        var machine = Self.running(.parseBindDescribeExecute)
        _ = machine.receive(Array(Self.answers.prefix(answered)))
        let error = Backend.error("42601")
        #expect(machine.messageReceived(.errorResponse(error)) == .statementFailed(q1, statement: 0, error))
        #expect(machine.messageReceived(Backend.ready()) == .requestCompleted(q1, .idle))
        #expect(machine.isReady)
    }

    @Test(arguments: Backend.allExcept(["ReadyForQuery", "NoticeResponse", "NotificationResponse", "ParameterStatus"]))
    func afterAnErrorOnlyReadyForQueryMayCome(message: BackendMessage) {
        var machine = Self.running(.parseBindDescribeExecute)
        _ = machine.receive([.parseComplete, .errorResponse(Backend.error())])
        #expect(machine.messageReceived(message) == .unexpected(message.name, failing: [q1]))
    }

    @Test func rowsOfAnUnexecutedStatementAreAViolation() {
        var machine = Self.running(.prepare)
        _ = machine.receive([.parseComplete, .parameterDescription(Backend.parameterTypes)])
        #expect(machine.messageReceived(.dataRow(Backend.row("1"))) == .unexpected("DataRow", failing: [q1]))
    }

    @Test func readyForQueryBeforeEveryStepWasAnsweredIsAViolation() {
        var machine = Self.running(.parseBindDescribeExecute)
        _ = machine.receive([.parseComplete, .bindComplete])
        #expect(machine.messageReceived(Backend.ready()) == .unexpected("ReadyForQuery", failing: [q1]))
    }
}
