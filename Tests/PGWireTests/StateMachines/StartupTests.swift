import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: startup")
struct StartupTests {
    static let settings = ConnectionSettings(
        user: "alice", database: "ledger", parameters: [.init("application_name", "tests")])

    static func settings(tls: ConnectionSettings.TLSPolicy) -> ConnectionSettings {
        var settings = Self.settings
        settings.tls = tls
        return settings
    }

    @Test func startupMessageNamesUserDatabaseAndParametersInOrder() {
        let message = Self.settings.startupMessage
        #expect(message.protocolVersion == .v3_0)
        #expect(message.parameters == [.init("user", "alice"), .init("database", "ledger"), .init("application_name", "tests")])
        let noDatabase = ConnectionSettings(user: "bob").startupMessage
        #expect(noDatabase.parameters == [.init("user", "bob")])
    }

    @Test func tlsDisabledSendsTheStartupMessageAtOnce() {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: .disable))
        #expect(machine.socketConnected() == .sendMessage(.startup(Self.settings.startupMessage)))
        #expect(!machine.usesTLS)
    }

    @Test(arguments: [ConnectionSettings.TLSPolicy.prefer, .require])
    func serverAcceptingTLSStartsTheHandshakeThenTheStartup(policy: ConnectionSettings.TLSPolicy) {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: policy))
        #expect(machine.socketConnected() == .sendSSLRequest)
        #expect(machine.sslResponseReceived(.accepted, unencryptedBytesFollowing: false) == .startTLSHandshake)
        #expect(!machine.usesTLS)
        #expect(machine.tlsHandshakeCompleted(serverCertificateDER: [1, 2, 3]) == .sendMessage(.startup(Self.settings.startupMessage)))
        #expect(machine.usesTLS)
    }

    @Test func serverRefusingTLSWithPreferGoesOnInPlainText() {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: .prefer))
        _ = machine.socketConnected()
        #expect(machine.sslResponseReceived(.refused, unencryptedBytesFollowing: false) == .sendMessage(.startup(Self.settings.startupMessage)))
        #expect(!machine.usesTLS)
    }

    @Test func serverRefusingTLSWithRequireFails() {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: .require))
        _ = machine.socketConnected()
        #expect(machine.sslResponseReceived(.refused, unencryptedBytesFollowing: false) == .failAndClose(.tlsRefused, failedRequests: []))
        #expect(machine.isClosed)
    }

    @Test(arguments: [ConnectionSettings.TLSPolicy.prefer, .require])
    func errorAnswerToSSLRequestFailsWithTheServersError(policy: ConnectionSettings.TLSPolicy) {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: policy))
        _ = machine.socketConnected()
        #expect(machine.sslResponseReceived(.error, unencryptedBytesFollowing: true) == .none)
        let error = Backend.fatal("53300")
        #expect(machine.messageReceived(.errorResponse(error)) == .failAndClose(.server(error), failedRequests: []))
    }

    @Test(arguments: Backend.allExcept(["ErrorResponse"]))
    func anythingButErrorResponseAfterAnErrorAnswerIsAViolation(message: BackendMessage) {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: .prefer))
        _ = machine.socketConnected()
        _ = machine.sslResponseReceived(.error, unencryptedBytesFollowing: true)
        #expect(machine.messageReceived(message) == .unexpected(message.name))
    }

    // CVE-2021-23222: a man in the middle answers `S` and appends plain-text messages that a
    // careless client would read as if they came through TLS.
    @Test(arguments: [ConnectionSettings.TLSPolicy.prefer, .require])
    func bytesAfterAcceptedSSLResponseAreRefused(policy: ConnectionSettings.TLSPolicy) {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: policy))
        _ = machine.socketConnected()
        #expect(machine.sslResponseReceived(.accepted, unencryptedBytesFollowing: true)
            == .failAndClose(.unencryptedBytesAfterSSLResponse, failedRequests: []))
        #expect(machine.isClosed)
        #expect(machine.tlsHandshakeCompleted(serverCertificateDER: nil) == .none)
    }

    @Test func bytesAfterRefusedSSLResponseAreThePlainTextSessionItself() {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: .prefer))
        _ = machine.socketConnected()
        #expect(machine.sslResponseReceived(.refused, unencryptedBytesFollowing: true) == .sendMessage(.startup(Self.settings.startupMessage)))
    }

    @Test func messagesBeforeTheSSLAnswerOrDuringTheHandshakeAreViolations() {
        var waiting = ConnectionStateMachine(settings: Self.settings(tls: .require))
        _ = waiting.socketConnected()
        #expect(waiting.messageReceived(.authentication(.ok)) == .unexpected("Authentication"))

        var handshaking = ConnectionStateMachine(settings: Self.settings(tls: .require))
        _ = handshaking.socketConnected()
        _ = handshaking.sslResponseReceived(.accepted, unencryptedBytesFollowing: false)
        #expect(handshaking.messageReceived(.authentication(.ok)) == .unexpected("Authentication"))

        var unconnected = ConnectionStateMachine(settings: Self.settings(tls: .require))
        #expect(unconnected.messageReceived(.authentication(.ok)) == .unexpected("Authentication"))
    }

    @Test func startupEventsOutOfOrderAreViolations() {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: .disable))
        #expect(machine.tlsHandshakeCompleted(serverCertificateDER: nil) == .unexpected("tlsHandshakeCompleted"))

        var plain = ConnectionStateMachine(settings: Self.settings(tls: .disable))
        _ = plain.socketConnected()
        #expect(plain.sslResponseReceived(.accepted, unencryptedBytesFollowing: false) == .unexpected("SSLRequest response"))

        var twice = ConnectionStateMachine(settings: Self.settings(tls: .disable))
        _ = twice.socketConnected()
        #expect(twice.socketConnected() == .unexpected("socketConnected"))
        #expect(twice.socketConnected() == .none)
    }

    @Test func trustStartupRecordsParametersAndKeyAndEndsConnected() {
        var machine = ConnectionStateMachine(settings: Self.settings(tls: .disable))
        _ = machine.socketConnected()
        let actions = machine.receive([
            .authentication(.ok),
            .parameterStatus(.init(name: "server_version", value: "15.8")),
            .parameterStatus(.init(name: "TimeZone", value: "UTC")),
            .backendKeyData(Backend.keyData),
            .parameterStatus(.init(name: "TimeZone", value: "Europe/Paris")),
            Backend.ready(.inTransaction),
        ])
        #expect(actions == [
            .none,
            .parameterStatus(.init(name: "server_version", value: "15.8")),
            .parameterStatus(.init(name: "TimeZone", value: "UTC")),
            .none,
            .parameterStatus(.init(name: "TimeZone", value: "Europe/Paris")),
            .connected,
        ])
        #expect(machine.serverParameters == ["server_version": "15.8", "TimeZone": "Europe/Paris"])
        #expect(machine.backendKeyData == Backend.keyData)
        #expect(machine.transactionStatus == .inTransaction)
        #expect(machine.authenticationMethod == ConnectionSettings.AuthenticationMethod.none)
        #expect(machine.isReady)
        #expect(!machine.isClosed)
        #expect(machine.requestsInFlight == 0)
    }

    @Test func secondBackendKeyDataIsAViolation() {
        var machine = ConnectionStateMachine.awaitingAuthentication(.plain())
        _ = machine.receive([.authentication(.ok), .backendKeyData(Backend.keyData)])
        #expect(machine.messageReceived(.backendKeyData(Backend.keyData)) == .unexpected("BackendKeyData"))
    }

    @Test func parameterChangesAfterStartupUpdateServerParameters() {
        var machine = ConnectionStateMachine.connected()
        #expect(machine.serverParameters["client_encoding"] == "UTF8")
        let change = BackendMessage.ParameterStatus(name: "client_encoding", value: "LATIN1")
        #expect(machine.messageReceived(.parameterStatus(change)) == .parameterStatus(change))
        #expect(machine.serverParameters["client_encoding"] == "LATIN1")
    }

    // MARK: Protocol version

    static func asking(for version: ProtocolVersion) -> ConnectionStateMachine {
        var settings = ConnectionSettings.plain()
        settings.protocolVersion = version
        return .awaitingAuthentication(settings)
    }

    @Test func negotiateProtocolVersionDowngrades32To30() {
        var machine = Self.asking(for: .v3_2)
        #expect(machine.protocolVersion == .v3_2)
        let offer = BackendMessage.NegotiateProtocolVersion(newestVersion: .v3_0, unrecognizedOptions: ["_pq_.fancy"])
        #expect(machine.messageReceived(.negotiateProtocolVersion(offer)) == .none)
        #expect(machine.protocolVersion == .v3_0)
        #expect(machine.receive([.authentication(.ok)] + Backend.sessionStart).last == .connected)
        #expect(machine.protocolVersion == .v3_0)
    }

    @Test func negotiateProtocolVersionToAMinorBetweenIsAccepted() {
        var machine = Self.asking(for: .v3_2)
        let offer = BackendMessage.NegotiateProtocolVersion(newestVersion: .init(major: 3, minor: 1), unrecognizedOptions: [])
        #expect(machine.messageReceived(.negotiateProtocolVersion(offer)) == .none)
        #expect(machine.protocolVersion == .init(major: 3, minor: 1))
    }

    static let bogusOffers: [(asked: ProtocolVersion, offered: ProtocolVersion)] = [
        (.v3_0, .v3_0),  // not older than what was asked: nothing to negotiate
        (.v3_2, .v3_2),
        (.v3_0, .v3_2),  // newer than asked
        (.v3_2, .init(major: 2, minor: 0)),
        (.v3_2, .init(major: 4, minor: 0)),
    ]

    @Test(arguments: bogusOffers)
    func bogusNegotiateProtocolVersionFails(asked: ProtocolVersion, offered: ProtocolVersion) {
        var machine = Self.asking(for: asked)
        let offer = BackendMessage.NegotiateProtocolVersion(newestVersion: offered, unrecognizedOptions: [])
        #expect(machine.messageReceived(.negotiateProtocolVersion(offer))
            == .failAndClose(.unsupportedProtocolVersion("the server offers \(offered)"), failedRequests: []))
    }

    @Test func negotiateProtocolVersionAfterAuthenticationBeganIsAViolation() {
        var settings = ConnectionSettings.plain(password: "pw")
        settings.protocolVersion = .v3_2
        var machine = ConnectionStateMachine.awaitingAuthentication(settings)
        _ = machine.messageReceived(.authentication(.cleartextPassword))
        let offer = BackendMessage.NegotiateProtocolVersion(newestVersion: .v3_0, unrecognizedOptions: [])
        #expect(machine.messageReceived(.negotiateProtocolVersion(offer)) == .unexpected("NegotiateProtocolVersion"))
    }

    // MARK: Errors and stray messages at every startup step

    /// The startup steps, each as the messages that lead to it from a sent StartupMessage.
    static let startupSteps: [(name: String, settings: ConnectionSettings, messages: [BackendMessage])] = [
        ("awaiting the authentication request", .plain(), []),
        ("after NegotiateProtocolVersion", .plain(), [
            .negotiateProtocolVersion(.init(newestVersion: .v3_0, unrecognizedOptions: ["_pq_.x"])),
        ]),
        ("after the cleartext password", .plain(password: "pw"), [.authentication(.cleartextPassword)]),
        ("after the MD5 password", .plain(password: "pw"), [.authentication(.md5Password(salt: 7))]),
        ("after SASLInitialResponse", SimulatedSCRAMServer.settings(), [SimulatedSCRAMServer.offer("SCRAM-SHA-256")]),
        ("after SASLResponse", SimulatedSCRAMServer.settings(), [
            SimulatedSCRAMServer.offer("SCRAM-SHA-256"), SimulatedSCRAMServer.continueMessage,
        ]),
        ("after a verified SASLFinal", SimulatedSCRAMServer.settings(), [
            SimulatedSCRAMServer.offer("SCRAM-SHA-256"), SimulatedSCRAMServer.continueMessage,
            SimulatedSCRAMServer.unbound.final,
        ]),
        ("after AuthenticationOk", .plain(), [.authentication(.ok)]),
        ("after ParameterStatus", .plain(), [.authentication(.ok), .parameterStatus(Backend.parameter)]),
        ("after BackendKeyData", .plain(), [.authentication(.ok), .backendKeyData(Backend.keyData)]),
    ]

    static func machine(atStartupStep index: Int) -> ConnectionStateMachine {
        let step = startupSteps[index]
        var settings = step.settings
        settings.protocolVersion = .v3_2
        var machine = ConnectionStateMachine.awaitingAuthentication(settings)
        for action in machine.receive(step.messages) {
            guard case .failAndClose = action else { continue }
            Issue.record("step \(step.name) failed on the way: \(action)")
        }
        return machine
    }

    @Test(arguments: startupSteps.indices)
    func errorResponseAtEveryStartupStepFailsWithTheServersError(step: Int) {
        for error in [Backend.fatal("28P01"), Backend.error("08P01")] {
            var machine = Self.machine(atStartupStep: step)
            #expect(machine.messageReceived(.errorResponse(error)) == .failAndClose(.server(error), failedRequests: []))
            #expect(machine.isClosed)
            #expect(machine.messageReceived(Backend.ready()) == .none)
        }
    }

    @Test(arguments: startupSteps.indices)
    func requestsBeforeReadyAreRejectedAndStartupGoesOn(step: Int) {
        var machine = Self.machine(atStartupStep: step)
        #expect(machine.requestSubmitted(q1, .simple) == .rejectRequest(q1, .notReady))
        #expect(machine.requestsInFlight == 0)
        #expect(!machine.isClosed)
    }

    @Test(arguments: startupSteps.indices)
    func noticesAndParameterChangesAtEveryStartupStepArePassedOn(step: Int) {
        var machine = Self.machine(atStartupStep: step)
        #expect(machine.messageReceived(.noticeResponse(Backend.notice)) == .notice(Backend.notice))
        #expect(machine.messageReceived(.parameterStatus(Backend.parameter)) == .parameterStatus(Backend.parameter))
        #expect(machine.serverParameters[Backend.parameter.name] == Backend.parameter.value)
        #expect(!machine.isClosed)
    }

    @Test(arguments: startupSteps.indices)
    func clientCloseOrLostSocketDuringStartupFailsTheConnect(step: Int) {
        var closing = Self.machine(atStartupStep: step)
        #expect(closing.closeRequested() == .failAndClose(.closedByClient, failedRequests: []))
        #expect(closing.closeRequested() == .none)
        var lost = Self.machine(atStartupStep: step)
        #expect(lost.connectionClosed() == .failAndClose(.connectionClosed, failedRequests: []))
        #expect(lost.connectionClosed() == .none)
    }

    /// What may arrive at each step besides ErrorResponse, NoticeResponse and ParameterStatus.
    /// (A second NegotiateProtocolVersion is no violation but an unsupported offer, tested above.)
    static let allowedAtStep: [Set<String>] = [
        ["Authentication", "NegotiateProtocolVersion"],
        ["Authentication", "NegotiateProtocolVersion"],
        ["Authentication"],
        ["Authentication"],
        ["Authentication"],
        ["Authentication"],
        ["Authentication"],
        ["BackendKeyData", "ReadyForQuery"],
        ["BackendKeyData", "ReadyForQuery"],
        ["ReadyForQuery"],
    ]

    @Test(arguments: startupSteps.indices)
    func everyOtherMessageAtAStartupStepIsAViolation(step: Int) {
        #expect(Self.allowedAtStep.count == Self.startupSteps.count)
        let allowed = Self.allowedAtStep[step].union(["ErrorResponse", "NoticeResponse", "ParameterStatus"])
        for message in Backend.allExcept(allowed) {
            var machine = Self.machine(atStartupStep: step)
            #expect(machine.messageReceived(message) == .unexpected(message.name), "at step \(Self.startupSteps[step].name)")
            #expect(machine.isClosed)
        }
    }

    @Test func notificationBeforeTheFirstReadyForQueryIsAViolationSinceNothingCanListenYet() {
        var machine = Self.machine(atStartupStep: 7)
        #expect(machine.messageReceived(.notificationResponse(Backend.notification)) == .unexpected("NotificationResponse"))
    }

    @Test func decodingFailureDuringStartupClosesWithTheDecodersError() {
        var machine = Self.machine(atStartupStep: 0)
        let error = PGWireError(.unknownMessageType(0x78), message: "BackendMessage")
        #expect(machine.decodingFailed(error) == .failAndClose(.protocolViolation(error), failedRequests: []))
        #expect(machine.decodingFailed(error) == .none)
    }
}
