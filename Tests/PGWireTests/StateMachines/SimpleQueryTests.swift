import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: simple query")
struct SimpleQueryTests {
    static func running() -> ConnectionStateMachine { .connected(submitting: [(q1, .simple)]) }

    @Test func submittingWritesTheRequest() {
        var machine = ConnectionStateMachine.connected()
        #expect(machine.requestSubmitted(q1, .simple) == .writeRequest(q1))
        #expect(machine.requestsInFlight == 1)
    }

    @Test func severalStatementsWithSeveralResultSetsAreNumberedInOrder() {
        var machine = Self.running()
        let actions = machine.receive([
            .commandComplete(Backend.done("CREATE TABLE")),
            .commandComplete(Backend.done("INSERT 0 2")),
            .rowDescription(Backend.columns),
            .dataRow(Backend.row("3")),
            .commandComplete(Backend.done("INSERT 0 1")),
            .rowDescription(Backend.columns),
            .dataRow(Backend.row("1")),
            .dataRow(Backend.row("2")),
            .commandComplete(Backend.done("SELECT 2")),
            Backend.ready(),
        ])
        #expect(actions == [
            .commandComplete(q1, statement: 0, Backend.done("CREATE TABLE")),
            .commandComplete(q1, statement: 1, Backend.done("INSERT 0 2")),
            .rowDescription(q1, statement: 2, Backend.columns),
            .dataRow(q1, statement: 2, Backend.row("3")),
            .commandComplete(q1, statement: 2, Backend.done("INSERT 0 1")),
            .rowDescription(q1, statement: 3, Backend.columns),
            .dataRow(q1, statement: 3, Backend.row("1")),
            .dataRow(q1, statement: 3, Backend.row("2")),
            .commandComplete(q1, statement: 3, Backend.done("SELECT 2")),
            .requestCompleted(q1, .idle),
        ])
        #expect(machine.requestsInFlight == 0)
        #expect(machine.isReady)
    }

    @Test func resultWithNoRows() {
        var machine = Self.running()
        #expect(machine.receive([.rowDescription(Backend.columns), .commandComplete(Backend.done("SELECT 0")), Backend.ready()]) == [
            .rowDescription(q1, statement: 0, Backend.columns),
            .commandComplete(q1, statement: 0, Backend.done("SELECT 0")),
            .requestCompleted(q1, .idle),
        ])
    }

    @Test func emptyQuery() {
        var machine = Self.running()
        #expect(machine.receive([.emptyQueryResponse, Backend.ready()]) == [.emptyQuery(q1, statement: 0), .requestCompleted(q1, .idle)])
    }

    @Test func emptyStatementBetweenOthersCountsAsAStatement() {
        var machine = Self.running()
        #expect(machine.receive([.commandComplete(Backend.done("SELECT 1")), .emptyQueryResponse, .commandComplete(Backend.done("SELECT 1"))]) == [
            .commandComplete(q1, statement: 0, Backend.done("SELECT 1")),
            .emptyQuery(q1, statement: 1),
            .commandComplete(q1, statement: 2, Backend.done("SELECT 1")),
        ])
    }

    @Test(arguments: 0..<3)
    func errorInStatementKSkipsTheRestAndCompletesTheRequest(failing: Int) {
        var machine = Self.running()
        let before = (0..<failing).flatMap { _ in
            [BackendMessage.rowDescription(Backend.columns), .dataRow(Backend.row("1")), .commandComplete(Backend.done("SELECT 1"))]
        }
        _ = machine.receive(before + [.rowDescription(Backend.columns), .dataRow(Backend.row("1"))])
        let error = Backend.error("22012")
        #expect(machine.messageReceived(.errorResponse(error)) == .statementFailed(q1, statement: failing, error))
        #expect(machine.messageReceived(Backend.ready(.failedTransaction)) == .requestCompleted(q1, .failedTransaction))
        #expect(machine.transactionStatus == .failedTransaction)
        #expect(machine.isReady)
    }

    @Test(arguments: Backend.allExcept(["ReadyForQuery", "NoticeResponse", "NotificationResponse", "ParameterStatus"]))
    func afterAnErrorOnlyReadyForQueryMayCome(message: BackendMessage) {
        var machine = Self.running()
        _ = machine.messageReceived(.errorResponse(Backend.error()))
        #expect(machine.messageReceived(message) == .unexpected(message.name, failing: [q1]))
    }

    @Test func transactionStatusFollowsEachReadyForQuery() {
        var machine = Self.running()
        #expect(machine.receive([.commandComplete(Backend.done("BEGIN")), Backend.ready(.inTransaction)]).last
            == .requestCompleted(q1, .inTransaction))
        #expect(machine.transactionStatus == .inTransaction)
        _ = machine.requestSubmitted(q2, .simple)
        #expect(machine.receive([.commandComplete(Backend.done("COMMIT")), Backend.ready(.idle)]).last == .requestCompleted(q2, .idle))
        #expect(machine.transactionStatus == .idle)
    }

    @Test func dataRowWithoutRowDescriptionIsAViolation() {
        var machine = Self.running()
        #expect(machine.messageReceived(.dataRow(Backend.row("1"))) == .unexpected("DataRow", failing: [q1]))
        #expect(machine.isClosed)
        #expect(machine.requestsInFlight == 0)
    }

    @Test func dataRowAfterCommandCompleteIsAViolation() {
        var machine = Self.running()
        _ = machine.receive([.rowDescription(Backend.columns), .commandComplete(Backend.done("SELECT 0"))])
        #expect(machine.messageReceived(.dataRow(Backend.row("1"))) == .unexpected("DataRow", failing: [q1]))
    }

    @Test(arguments: ["RowDescription", "ReadyForQuery", "EmptyQueryResponse", "CopyInResponse"])
    func resultMessagesInTheMiddleOfRowsAreViolations(name: String) throws {
        var machine = Self.running()
        _ = machine.receive([.rowDescription(Backend.columns), .dataRow(Backend.row("1"))])
        let message = try #require(Backend.oneOfEach.first { $0.name == name })
        #expect(machine.messageReceived(message) == .unexpected(name, failing: [q1]))
    }

    @Test(arguments: ["ParseComplete", "BindComplete", "NoData", "ParameterDescription", "PortalSuspended", "CloseComplete"])
    func extendedQueryAnswersToASimpleQueryAreViolations(name: String) throws {
        var machine = Self.running()
        let message = try #require(Backend.oneOfEach.first { $0.name == name })
        #expect(machine.messageReceived(message) == .unexpected(name, failing: [q1]))
    }

    // PostgreSQL always answers a Query with at least EmptyQueryResponse; the machine does not
    // insist, as nothing is lost by accepting the end of a request that had no results.
    @Test func readyForQueryWithoutAnyResultStillCompletesTheRequest() {
        var machine = Self.running()
        #expect(machine.messageReceived(Backend.ready()) == .requestCompleted(q1, .idle))
    }
}
