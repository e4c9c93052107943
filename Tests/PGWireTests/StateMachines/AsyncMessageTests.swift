import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: asynchronous messages")
struct AsyncMessageTests {
    /// A session from the first authentication request to the end of five pipelined requests
    /// (rows, an empty query, extended steps, COPY out and in, an error in a batch), each event
    /// with the action it causes when nothing else arrives.
    static let session: [(event: ScriptEvent, action: ConnectionAction)] = [
        (.message(.authentication(.cleartextPassword)), .sendMessage(.password(.init(password: "pw")))),
        (.message(.authentication(.ok)), .none),
        (.message(.parameterStatus(.init(name: "server_version", value: "15.8"))), .parameterStatus(.init(name: "server_version", value: "15.8"))),
        (.message(.backendKeyData(Backend.keyData)), .none),
        (.message(Backend.ready()), .connected),
        (.submit(q1, .simple), .writeRequest(q1)),
        (.submit(q2, .extended(.parseBindDescribeExecute)), .writeRequest(q2)),
        (.message(.rowDescription(Backend.columns)), .rowDescription(q1, statement: 0, Backend.columns)),
        (.message(.dataRow(Backend.row("1"))), .dataRow(q1, statement: 0, Backend.row("1"))),
        (.message(.commandComplete(Backend.done("SELECT 1"))), .commandComplete(q1, statement: 0, Backend.done("SELECT 1"))),
        (.message(.emptyQueryResponse), .emptyQuery(q1, statement: 1)),
        (.message(Backend.ready()), .requestCompleted(q1, .idle)),
        (.submit(q3, .simple), .writeRequest(q3)),
        (.message(.parseComplete), .parseComplete(q2, statement: 0)),
        (.message(.bindComplete), .none),
        (.message(.rowDescription(Backend.columns)), .rowDescription(q2, statement: 0, Backend.columns)),
        (.message(.dataRow(Backend.row("2"))), .dataRow(q2, statement: 0, Backend.row("2"))),
        (.message(.portalSuspended), .portalSuspended(q2, statement: 0)),
        (.message(Backend.ready(.inTransaction)), .requestCompleted(q2, .inTransaction)),
        (.message(.copyOutResponse(Backend.copyFormat)), .copyOutStarted(q3, statement: 0, Backend.copyFormat)),
        (.message(.copyData(.init(data: ByteBuffer(string: "x\n")))), .copyData(q3, statement: 0, ByteBuffer(string: "x\n"))),
        (.message(.copyDone), .none),
        (.message(.commandComplete(Backend.done("COPY 1"))), .commandComplete(q3, statement: 0, Backend.done("COPY 1"))),
        (.message(.copyInResponse(Backend.copyFormat)), .copyInStarted(q3, statement: 1, Backend.copyFormat)),
        (.message(.commandComplete(Backend.done("COPY 2"))), .commandComplete(q3, statement: 1, Backend.done("COPY 2"))),
        (.message(Backend.ready(.inTransaction)), .requestCompleted(q3, .inTransaction)),
        (.submit(RequestID(4), .batch([.prepare, .bindExecute, .bindExecute])), .writeRequest(RequestID(4))),
        (.message(.parseComplete), .parseComplete(RequestID(4), statement: 0)),
        (.message(.parameterDescription(Backend.parameterTypes)), .parameterDescription(RequestID(4), statement: 0, Backend.parameterTypes)),
        (.message(.noData), .noData(RequestID(4), statement: 0)),
        (.message(.bindComplete), .none),
        (.message(.commandComplete(Backend.done("INSERT 0 1"))), .commandComplete(RequestID(4), statement: 1, Backend.done("INSERT 0 1"))),
        (.message(.errorResponse(Backend.error("23505"))), .statementFailed(RequestID(4), statement: 2, Backend.error("23505"))),
        (.message(Backend.ready(.failedTransaction)), .requestCompleted(RequestID(4), .failedTransaction)),
    ]

    static func run(_ events: [ScriptEvent]) -> (actions: [ConnectionAction], machine: ConnectionStateMachine) {
        var machine = ConnectionStateMachine.awaitingAuthentication(.plain(password: "pw"))
        let actions = machine.apply(events)
        return (actions, machine)
    }

    /// Where the first ReadyForQuery is; notifications come only after it.
    static let connectedAt = session.firstIndex { $0.action == .connected } ?? 0

    @Test func sessionRunsAsScripted() {
        let (actions, machine) = Self.run(Self.session.map(\.event))
        #expect(actions == Self.session.map(\.action))
        #expect(machine.isReady)
        #expect(machine.requestsInFlight == 0)
        #expect(machine.transactionStatus == .failedTransaction)
    }

    @Test(arguments: Backend.asynchronous)
    func asynchronousMessageBetweenEveryPairOfMessagesChangesNothingElse(message: BackendMessage) throws {
        let injected = try #require(ConnectionAction.asynchronous(message))
        let first = if case .notificationResponse = message { Self.connectedAt + 1 } else { 0 }
        for position in first...Self.session.count {
            var events = Self.session.map(\.event)
            var expected = Self.session.map(\.action)
            events.insert(.message(message), at: position)
            expected.insert(injected, at: position)
            let (actions, machine) = Self.run(events)
            #expect(actions == expected, "injected at \(position)")
            #expect(machine.isReady)
            #expect(machine.requestsInFlight == 0)
        }
    }

    @Test func allThreeTogetherAtEveryPointAfterStartup() {
        for position in (Self.connectedAt + 1)...Self.session.count {
            var events = Self.session.map(\.event)
            var expected = Self.session.map(\.action)
            events.insert(contentsOf: Backend.asynchronous.map { .message($0) }, at: position)
            expected.insert(contentsOf: Backend.asynchronous.compactMap(ConnectionAction.asynchronous), at: position)
            let (actions, machine) = Self.run(events)
            #expect(actions == expected, "injected at \(position)")
            #expect(machine.serverParameters == ["server_version": "15.8", Backend.parameter.name: Backend.parameter.value])
        }
    }

    @Test func notificationWhileIdleIsDelivered() {
        var machine = ConnectionStateMachine.connected()
        #expect(machine.messageReceived(.notificationResponse(Backend.notification)) == .notification(Backend.notification))
        #expect(machine.isReady)
    }

    @Test func noticeWhileIdleIsDelivered() {
        var machine = ConnectionStateMachine.connected()
        #expect(machine.messageReceived(.noticeResponse(Backend.notice)) == .notice(Backend.notice))
    }

    @Test(arguments: Backend.asynchronous)
    func asynchronousMessagesAfterCloseAreIgnored(message: BackendMessage) {
        var machine = ConnectionStateMachine.connected()
        _ = machine.closeRequested()
        #expect(machine.messageReceived(message) == .none)
    }
}

@Suite("Connection state machine: abuse")
struct StateMachineAbuseTests {
    @Test func endlessNewParameterNamesAreNotKeptPastTheLimit() {
        var machine = ConnectionStateMachine.connected()
        let limit = ConnectionStateMachine.maximumServerParameters
        var kept = 0
        for index in 0..<(limit * 5) {
            let status = BackendMessage.ParameterStatus(name: "flood_\(index)", value: "x")
            if machine.messageReceived(.parameterStatus(status)) == .parameterStatus(status) { kept += 1 }
        }
        #expect(machine.serverParameters.count == limit)
        #expect(kept <= limit)
        // A name already kept still changes, and the session goes on.
        let known = machine.serverParameters.keys.sorted()[0]
        let update = BackendMessage.ParameterStatus(name: known, value: "changed")
        #expect(machine.messageReceived(.parameterStatus(update)) == .parameterStatus(update))
        #expect(machine.serverParameters[known] == "changed")
        #expect(machine.requestSubmitted(RequestID(1), .simple) == .writeRequest(RequestID(1)))
    }
}
