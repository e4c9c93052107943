import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: COPY")
struct CopyTests {
    static let format = Backend.copyFormat
    static let chunks = ["1\tone\n", "2\ttwo\n", "3\tthree\n"].map { ByteBuffer(string: $0) }

    static let copyOutMessages: [BackendMessage] =
        [.copyOutResponse(format)] + chunks.map { .copyData(.init(data: $0)) } + [.copyDone, .commandComplete(Backend.done("COPY 3"))]

    static func copyOutActions(_ id: RequestID, statement: Int) -> [ConnectionAction] {
        [.copyOutStarted(id, statement: statement, format)] + chunks.map { .copyData(id, statement: statement, $0) }
            + [.none, .commandComplete(id, statement: statement, Backend.done("COPY 3"))]
    }

    // MARK: COPY FROM STDIN

    @Test func copyInWithSimpleQuery() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        #expect(machine.messageReceived(.copyInResponse(Self.format)) == .copyInStarted(q1, statement: 0, Self.format))
        // The client now sends CopyData and CopyDone; the server answers with CommandComplete.
        #expect(machine.receive([.commandComplete(Backend.done("COPY 3")), Backend.ready()]) == [
            .commandComplete(q1, statement: 0, Backend.done("COPY 3")), .requestCompleted(q1, .idle),
        ])
    }

    @Test func copyInWithExtendedQuery() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .extended([.parse, .bind, .execute]))])
        #expect(machine.receive([.parseComplete, .bindComplete, .copyInResponse(Self.format), .commandComplete(Backend.done("COPY 3")), Backend.ready()]) == [
            .parseComplete(q1, statement: 0), .none, .copyInStarted(q1, statement: 0, Self.format),
            .commandComplete(q1, statement: 0, Backend.done("COPY 3")), .requestCompleted(q1, .idle),
        ])
    }

    @Test(arguments: [QueryRequest.simple, .extended(.bindExecute)])
    func errorDuringCopyInFailsTheStatement(request: QueryRequest) {
        // A CopyFail from the client, or bad data, ends in ErrorResponse (57014 for CopyFail).
        var machine = ConnectionStateMachine.connected(submitting: [(q1, request)])
        if case .extended = request { _ = machine.messageReceived(.bindComplete) }
        _ = machine.messageReceived(.copyInResponse(Self.format))
        let error = Backend.error("57014")
        #expect(machine.receive([.errorResponse(error), Backend.ready()]) == [
            .statementFailed(q1, statement: 0, error), .requestCompleted(q1, .idle),
        ])
    }

    @Test(arguments: Backend.allExcept([
        "CommandComplete", "ErrorResponse", "NoticeResponse", "NotificationResponse", "ParameterStatus",
    ]))
    func duringCopyInOnlyCommandCompleteOrAnErrorMayCome(message: BackendMessage) {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple), (q2, .simple)])
        _ = machine.messageReceived(.copyInResponse(Self.format))
        #expect(machine.messageReceived(message) == .unexpected(message.name, failing: [q1, q2]))
    }

    // MARK: COPY TO STDOUT

    @Test func copyOutWithSimpleQuery() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        #expect(machine.receive(Self.copyOutMessages + [Backend.ready()]) == Self.copyOutActions(q1, statement: 0) + [.requestCompleted(q1, .idle)])
    }

    @Test func copyOutWithExtendedQuery() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .extended(.bindExecute))])
        #expect(machine.receive([.bindComplete] + Self.copyOutMessages + [Backend.ready()])
            == [.none] + Self.copyOutActions(q1, statement: 0) + [.requestCompleted(q1, .idle)])
    }

    @Test func copyAmongOtherStatementsOfASimpleQuery() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        let actions = machine.receive(
            [.commandComplete(Backend.done("CREATE TABLE"))] + Self.copyOutMessages
                + [.copyInResponse(Self.format), .commandComplete(Backend.done("COPY 0")), .emptyQueryResponse, Backend.ready()])
        #expect(actions == [.commandComplete(q1, statement: 0, Backend.done("CREATE TABLE"))] + Self.copyOutActions(q1, statement: 1)
            + [.copyInStarted(q1, statement: 2, Self.format), .commandComplete(q1, statement: 2, Backend.done("COPY 0")),
               .emptyQuery(q1, statement: 3), .requestCompleted(q1, .idle)])
    }

    @Test(arguments: 1..<copyOutMessages.count)
    func errorDuringCopyOutFailsTheStatement(received: Int) {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        _ = machine.receive(Array(Self.copyOutMessages.prefix(received)))
        let error = Backend.error("57014")
        #expect(machine.receive([.errorResponse(error), Backend.ready()]) == [
            .statementFailed(q1, statement: 0, error), .requestCompleted(q1, .idle),
        ])
    }

    @Test(arguments: Backend.allExcept([
        "CopyData", "CopyDone", "ErrorResponse", "NoticeResponse", "NotificationResponse", "ParameterStatus",
    ]))
    func duringCopyOutOnlyDataDoneOrAnErrorMayCome(message: BackendMessage) {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        _ = machine.receive([.copyOutResponse(Self.format), .copyData(.init(data: Self.chunks[0]))])
        #expect(machine.messageReceived(message) == .unexpected(message.name, failing: [q1]))
    }

    @Test(arguments: Backend.allExcept([
        "CommandComplete", "ErrorResponse", "NoticeResponse", "NotificationResponse", "ParameterStatus",
    ]))
    func afterCopyDoneOnlyCommandCompleteOrAnErrorMayCome(message: BackendMessage) {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .extended(.bindExecute))])
        _ = machine.receive([.bindComplete, .copyOutResponse(Self.format), .copyDone])
        #expect(machine.messageReceived(message) == .unexpected(message.name, failing: [q1]))
    }

    // CopyBothResponse starts streaming replication, which this machine does not speak.
    @Test(arguments: [QueryRequest.simple, .extended(.execute)])
    func copyBothIsAViolation(request: QueryRequest) {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, request)])
        #expect(machine.messageReceived(.copyBothResponse(Self.format)) == .unexpected("CopyBothResponse", failing: [q1]))
    }
}
