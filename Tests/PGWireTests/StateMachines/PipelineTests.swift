import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: pipelines and batches")
struct PipelineTests {
    static let parseBindExecute: ExtendedSteps = [.parse, .bind, .execute]
    static let fiveStatements = QueryRequest.batch(Array(repeating: parseBindExecute, count: 5))

    /// What the server answers to one successful Parse/Bind/Execute returning one row.
    static func success(_ value: String) -> [BackendMessage] {
        [.parseComplete, .bindComplete, .dataRow(Backend.row(value)), .commandComplete(Backend.done("SELECT 1"))]
    }

    static func successActions(_ id: RequestID, statement: Int, _ value: String) -> [ConnectionAction] {
        [.parseComplete(id, statement: statement), .none, .dataRow(id, statement: statement, Backend.row(value)),
         .commandComplete(id, statement: statement, Backend.done("SELECT 1"))]
    }

    @Test func responsesGoToTheRequestsInTheOrderTheyWereSent() {
        var machine = ConnectionStateMachine.connected(submitting: [
            (q1, .extended(.parseBindDescribeExecute)), (q2, .simple), (q3, .extended(.bindExecute)),
        ])
        #expect(machine.requestsInFlight == 3)
        let actions = machine.receive([
            .parseComplete, .bindComplete, .rowDescription(Backend.columns), .dataRow(Backend.row("a")),
            .commandComplete(Backend.done("SELECT 1")), Backend.ready(),
            .rowDescription(Backend.columns), .dataRow(Backend.row("b")), .commandComplete(Backend.done("SELECT 1")),
            .emptyQueryResponse, Backend.ready(),
            .bindComplete, .dataRow(Backend.row("c")), .commandComplete(Backend.done("SELECT 1")), Backend.ready(),
        ])
        #expect(actions == [
            .parseComplete(q1, statement: 0), .none, .rowDescription(q1, statement: 0, Backend.columns),
            .dataRow(q1, statement: 0, Backend.row("a")), .commandComplete(q1, statement: 0, Backend.done("SELECT 1")),
            .requestCompleted(q1, .idle),
            .rowDescription(q2, statement: 0, Backend.columns), .dataRow(q2, statement: 0, Backend.row("b")),
            .commandComplete(q2, statement: 0, Backend.done("SELECT 1")), .emptyQuery(q2, statement: 1),
            .requestCompleted(q2, .idle),
            .none, .dataRow(q3, statement: 0, Backend.row("c")), .commandComplete(q3, statement: 0, Backend.done("SELECT 1")),
            .requestCompleted(q3, .idle),
        ])
        #expect(machine.requestsInFlight == 0)
    }

    @Test func requestsSubmittedWhileOthersRunQueueBehindThem() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        _ = machine.messageReceived(.rowDescription(Backend.columns))
        #expect(machine.requestSubmitted(q2, .extended(.bindExecute)) == .writeRequest(q2))
        #expect(machine.receive([.dataRow(Backend.row("1")), .commandComplete(Backend.done("SELECT 1")), Backend.ready(), .bindComplete]) == [
            .dataRow(q1, statement: 0, Backend.row("1")), .commandComplete(q1, statement: 0, Backend.done("SELECT 1")),
            .requestCompleted(q1, .idle), .none,
        ])
        #expect(machine.requestsInFlight == 1)
    }

    @Test func batchStatementsAreNumberedInOrder() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, Self.fiveStatements)])
        let answers = (0..<5).flatMap { Self.success("\($0)") } + [Backend.ready()]
        let expected = (0..<5).flatMap { Self.successActions(q1, statement: $0, "\($0)") } + [.requestCompleted(q1, .idle)]
        #expect(machine.receive(answers) == expected)
    }

    static let failurePoints: [(statement: Int, answered: Int)] = (0..<5).flatMap { statement in
        // Fails at Parse, at Bind, at Execute before any row, and after a row.
        (0..<4).map { (statement, $0) }
    }

    @Test(arguments: failurePoints)
    func errorInStatementKFailsItSkipsTheRestAndCompletes(statement failing: Int, answered: Int) {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, Self.fiveStatements), (q2, .simple)])
        let before = (0..<failing).flatMap { Self.success("\($0)") }
        let partial = Array(Self.success("x").prefix(answered))
        let error = Backend.error("22012")
        let actions = machine.receive(before + partial + [.errorResponse(error), Backend.ready()])
        let expected = (0..<failing).flatMap { Self.successActions(q1, statement: $0, "\($0)") }
            + Self.successActions(q1, statement: failing, "x").prefix(answered)
            + [.statementFailed(q1, statement: failing, error), .requestCompleted(q1, .idle)]
        #expect(actions == expected)
        // The next request in the pipeline is untouched.
        #expect(machine.requestsInFlight == 1)
        #expect(machine.receive([.emptyQueryResponse, Backend.ready()]) == [.emptyQuery(q2, statement: 0), .requestCompleted(q2, .idle)])
    }

    @Test func batchMixingPrepareBindAndASecondExecute() {
        // The shape of the extended-binary session: Parse+Describe, Bind+Execute(limit 2), Execute.
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .batch([.prepare, .bindExecute, .execute]))])
        #expect(machine.receive([
            .parseComplete, .parameterDescription(Backend.parameterTypes), .rowDescription(Backend.columns),
            .bindComplete, .dataRow(Backend.row("1")), .dataRow(Backend.row("2")), .portalSuspended,
            .dataRow(Backend.row("3")), .commandComplete(Backend.done("SELECT 1")), Backend.ready(),
        ]) == [
            .parseComplete(q1, statement: 0), .parameterDescription(q1, statement: 0, Backend.parameterTypes),
            .rowDescription(q1, statement: 0, Backend.columns),
            .none, .dataRow(q1, statement: 1, Backend.row("1")), .dataRow(q1, statement: 1, Backend.row("2")),
            .portalSuspended(q1, statement: 1),
            .dataRow(q1, statement: 2, Backend.row("3")), .commandComplete(q1, statement: 2, Backend.done("SELECT 1")),
            .requestCompleted(q1, .idle),
        ])
    }

    @Test func statementsThatSendNothingAreSkipped() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .batch([[], .bindExecute, [], [], .close, []]))])
        #expect(machine.receive([.bindComplete, .commandComplete(Backend.done("SELECT 0")), .closeComplete, Backend.ready()]) == [
            .none, .commandComplete(q1, statement: 1, Backend.done("SELECT 0")), .none, .requestCompleted(q1, .idle),
        ])
    }

    @Test func emptyBatchIsJustASync() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .batch([]))])
        #expect(machine.messageReceived(Backend.ready()) == .requestCompleted(q1, .idle))
    }

    // The implicit transaction of a request commits at Sync, after every statement was answered:
    // a deferred constraint or a serialization failure then fails the request there.
    @Test(arguments: [QueryRequest.extended(.bindExecute), .batch([.bindExecute, .bindExecute])])
    func errorAtSyncAfterEveryStatementFailsTheLastStatement(request: QueryRequest) throws {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, request), (q2, .simple)])
        let count = try #require(request.statementCount)
        let answers = Array(repeating: [BackendMessage.bindComplete, .commandComplete(Backend.done("INSERT 0 1"))], count: count).flatMap { $0 }
        _ = machine.receive(answers)
        let error = Backend.error("23503")
        #expect(machine.messageReceived(.errorResponse(error)) == .statementFailed(q1, statement: count - 1, error))
        #expect(machine.messageReceived(Backend.ready()) == .requestCompleted(q1, .idle))
        #expect(machine.messageReceived(.errorResponse(error)) == .statementFailed(q2, statement: 0, error))
    }

    @Test func errorAtSyncOfAnEmptyRequestFailsStatementZero() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .batch([]))])
        let error = Backend.error("40001")
        #expect(machine.messageReceived(.errorResponse(error)) == .statementFailed(q1, statement: 0, error))
        #expect(machine.messageReceived(Backend.ready()) == .requestCompleted(q1, .idle))
    }

    @Test func readyForQueryWithNothingInFlightIsAViolation() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        _ = machine.receive([.emptyQueryResponse, Backend.ready()])
        #expect(machine.messageReceived(Backend.ready()) == .unexpected("ReadyForQuery"))
    }
}
