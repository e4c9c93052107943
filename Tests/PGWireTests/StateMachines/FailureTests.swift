import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: failures and closing")
struct FailureTests {
    /// Two pipelined requests (an extended query with rows, then a simple query with rows) and
    /// their answers; what else may come before each answer; which requests are still in flight.
    static let requests: [(RequestID, QueryRequest)] = [(q1, .extended(.parseBindDescribeExecute)), (q2, .simple)]
    static let simpleResultStart: Set<String> = [
        "RowDescription", "CommandComplete", "EmptyQueryResponse", "CopyInResponse", "CopyOutResponse", "ReadyForQuery",
    ]
    static let steps: [(answer: BackendMessage?, alsoAllowed: Set<String>, inFlight: [RequestID])] = [
        (.parseComplete, [], [q1, q2]),
        (.bindComplete, [], [q1, q2]),
        (.rowDescription(Backend.columns), ["NoData"], [q1, q2]),
        (.dataRow(Backend.row("1")), [
            "CommandComplete", "EmptyQueryResponse", "PortalSuspended", "CopyInResponse", "CopyOutResponse",
        ], [q1, q2]),
        (.commandComplete(Backend.done("SELECT 1")), ["DataRow", "PortalSuspended"], [q1, q2]),
        (Backend.ready(), [], [q1, q2]),
        (.rowDescription(Backend.columns), simpleResultStart, [q2]),
        (.dataRow(Backend.row("2")), ["CommandComplete"], [q2]),
        (.commandComplete(Backend.done("SELECT 1")), ["DataRow"], [q2]),
        (Backend.ready(), simpleResultStart, [q2]),
        (nil, [], []),  // idle: nothing but asynchronous messages and FATAL errors
    ]

    static func machine(afterStep step: Int) -> ConnectionStateMachine {
        var machine = ConnectionStateMachine.connected(submitting: requests)
        for action in machine.receive(steps.prefix(step).compactMap(\.answer)) {
            if case .failAndClose = action { Issue.record("failed on the way to step \(step): \(action)") }
        }
        return machine
    }

    @Test(arguments: steps.indices)
    func unexpectedMessageAtEveryStepClosesAndFailsEveryRequestInFlight(step: Int) {
        let (answer, alsoAllowed, inFlight) = Self.steps[step]
        var allowed = alsoAllowed.union(["NoticeResponse", "NotificationResponse", "ParameterStatus"])
        if let answer { allowed.formUnion([answer.name, "ErrorResponse"]) }
        for message in Backend.allExcept(allowed) {
            var machine = Self.machine(afterStep: step)
            #expect(machine.messageReceived(message) == .unexpected(message.name, failing: inFlight), "step \(step)")
            #expect(machine.isClosed)
            #expect(machine.requestsInFlight == 0)
            #expect(machine.messageReceived(answer ?? Backend.ready()) == .none)
            #expect(machine.requestSubmitted(q3, .simple) == .rejectRequest(q3, .closing))
        }
    }

    @Test(arguments: steps.indices)
    func fatalErrorAtEveryStepClosesAndFailsEveryRequestInFlight(step: Int) {
        for error in [Backend.fatal("57P01"), Backend.error("XX000", severity: "PANIC")] {
            var machine = Self.machine(afterStep: step)
            #expect(machine.messageReceived(.errorResponse(error)) == .failAndClose(.server(error), failedRequests: Self.steps[step].inFlight))
            #expect(machine.isClosed)
        }
    }

    // Servers before 9.6 send only the localized severity; "FATAL" is the same in every language.
    @Test func fatalErrorWithOnlyTheLocalizedSeverityEndsTheSession() {
        var machine = ConnectionStateMachine.connected(submitting: [(q1, .simple)])
        let error = BackendMessage.ErrorResponse(fields: [.localizedSeverity: "FATAL", .sqlState: "57P01", .message: "bye"])
        #expect(machine.messageReceived(.errorResponse(error)) == .failAndClose(.server(error), failedRequests: [q1]))
    }

    @Test func nonFatalErrorWhileIdleIsAViolation() {
        var machine = ConnectionStateMachine.connected()
        #expect(machine.messageReceived(.errorResponse(Backend.error())) == .unexpected("ErrorResponse"))
    }

    @Test func decodingFailureFailsEveryRequestInFlight() {
        var machine = ConnectionStateMachine.connected(submitting: Self.requests)
        let error = PGWireError(.lengthTooSmall(2), message: "DataRow")
        #expect(machine.decodingFailed(error) == .failAndClose(.protocolViolation(error), failedRequests: [q1, q2]))
        #expect(machine.decodingFailed(error) == .none)
    }

    @Test func lostConnectionFailsEveryRequestInFlight() {
        var machine = ConnectionStateMachine.connected(submitting: Self.requests)
        _ = machine.receive([.parseComplete, .bindComplete])
        #expect(machine.connectionClosed() == .failAndClose(.connectionClosed, failedRequests: [q1, q2]))
        #expect(machine.connectionClosed() == .none)
        #expect(machine.closeRequested() == .none)
        #expect(machine.requestSubmitted(q3, .simple) == .rejectRequest(q3, .closing))
    }

    @Test func lostConnectionWhileIdleFailsNothing() {
        var machine = ConnectionStateMachine.connected()
        #expect(machine.connectionClosed() == .failAndClose(.connectionClosed, failedRequests: []))
    }

    @Test func closeRequestedSendsTerminateAndFailsWhatIsInFlight() {
        var machine = ConnectionStateMachine.connected(submitting: Self.requests)
        _ = machine.receive([.parseComplete, .bindComplete, .rowDescription(Backend.columns), .dataRow(Backend.row("1")),
                             .commandComplete(Backend.done("SELECT 1")), Backend.ready()])
        #expect(machine.closeRequested() == .sendTerminateAndClose(failedRequests: [q2]))
        #expect(machine.isClosed)
        #expect(machine.closeRequested() == .none)
        #expect(machine.connectionClosed() == .none)
    }

    @Test func eventsAfterCloseDoNothing() {
        var machine = ConnectionStateMachine.connected()
        #expect(machine.closeRequested() == .sendTerminateAndClose(failedRequests: []))
        for message in Backend.oneOfEach {
            #expect(machine.messageReceived(message) == .none)
        }
        #expect(machine.socketConnected() == .none)
        #expect(machine.sslResponseReceived(.accepted, unencryptedBytesFollowing: false) == .none)
        #expect(machine.tlsHandshakeCompleted(serverCertificateDER: nil) == .none)
        #expect(machine.decodingFailed(PGWireError(.missingTerminator, message: "DataRow")) == .none)
        #expect(machine.requestSubmitted(q1, .simple) == .rejectRequest(q1, .closing))
        #expect(machine.requestsInFlight == 0)
    }

    @Test func requestBeforeTheSocketConnectsIsNotReady() {
        var machine = ConnectionStateMachine(settings: .plain())
        #expect(machine.requestSubmitted(q1, .simple) == .rejectRequest(q1, .notReady))
        #expect(machine.socketConnected() == .sendMessage(.startup(ConnectionSettings.plain().startupMessage)))
    }

    @Test func failureDescriptionsNameTheCause() {
        let error = Backend.fatal("28P01")
        #expect(ConnectionFailure.server(error).description == "server error 28P01: failed with 28P01")
        #expect(ConnectionFailure.server(.init(fields: [:])).description == "server error ?????: (no message)")
        #expect(ConnectionFailure.protocolViolation(PGWireError(.unexpectedMessage, message: "DataRow")).description.contains("DataRow"))
        #expect(ConnectionFailure.unsupportedAuthenticationMethod("SSPI (code 9)").description.contains("SSPI"))
    }

    @Test func settingsDescriptionHidesThePassword() {
        let settings = ConnectionSettings.plain(password: "hunter2")
        #expect(!settings.description.contains("hunter2"))
        #expect(settings.description.contains("********"))
        #expect(ConnectionSettings.plain().description.contains("password: none"))
    }
}
