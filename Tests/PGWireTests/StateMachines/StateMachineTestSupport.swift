import NIOCore
import Testing

@testable import PGWire

// Shared by every state machine suite: sample server messages, a machine driven to a given
// point, and a small script runner. Each test then states only what it is about.

/// Request identifiers; tests pipeline at most a handful of requests.
let q1 = RequestID(1)
let q2 = RequestID(2)
let q3 = RequestID(3)

extension ConnectionSettings {
    /// A plain-text session for `alice` on `ledger`, the starting point of most tests.
    static func plain(user: String = "alice", password: String? = nil) -> ConnectionSettings {
        ConnectionSettings(user: user, database: "ledger", password: password, tls: .disable)
    }
}

/// Sample server messages and payloads.
enum Backend {
    static func error(_ sqlState: String = "42P01", severity: String = "ERROR") -> BackendMessage.ErrorResponse {
        .init(fields: [.localizedSeverity: severity, .severity: severity, .sqlState: sqlState, .message: "failed with \(sqlState)"])
    }

    static func fatal(_ sqlState: String = "57P01") -> BackendMessage.ErrorResponse {
        error(sqlState, severity: "FATAL")
    }

    static let notice = BackendMessage.NoticeResponse(
        fields: [.severity: "NOTICE", .sqlState: "00000", .message: "hello from the server"])
    static let notification = BackendMessage.NotificationResponse(processID: 4242, channel: "jobs", payload: "ready")
    static let parameter = BackendMessage.ParameterStatus(name: "application_name", value: "changed")
    static let keyData = BackendMessage.BackendKeyData(processID: 4242, secretKey: [1, 2, 3, 4])

    static let columns = BackendMessage.RowDescription(columns: [
        .init(name: "id", dataType: .int4, dataTypeSize: 4, format: .binary),
        .init(name: "label", dataType: .text, format: .text),
    ])
    static let parameterTypes = BackendMessage.ParameterDescription(dataTypes: [.int4, .text])
    static let copyFormat = BackendMessage.CopyResponse(format: .text, columnFormats: [.text, .text])

    static func row(_ value: String) -> BackendMessage.DataRow {
        .init(columns: [ByteBuffer(string: value), nil])
    }

    static func done(_ tag: String) -> BackendMessage.CommandComplete { .init(tag: tag) }

    static func ready(_ status: BackendMessage.TransactionStatus = .idle) -> BackendMessage {
        .readyForQuery(.init(transactionStatus: status))
    }

    /// What a server sends between AuthenticationOk and the first ReadyForQuery.
    static let sessionStart: [BackendMessage] = [
        .parameterStatus(.init(name: "server_version", value: "15.8")),
        .parameterStatus(.init(name: "client_encoding", value: "UTF8")),
        .backendKeyData(keyData),
        ready(),
    ]

    /// One message of every kind the server can send.
    static let oneOfEach: [BackendMessage] = [
        .authentication(.ok), .backendKeyData(keyData), .bindComplete, .closeComplete,
        .commandComplete(done("SELECT 1")), .copyInResponse(copyFormat), .copyOutResponse(copyFormat),
        .copyBothResponse(copyFormat), .copyData(.init(data: ByteBuffer(string: "1\tone\n"))), .copyDone,
        .dataRow(row("1")), .emptyQueryResponse, .errorResponse(error()), .noticeResponse(notice),
        .negotiateProtocolVersion(.init(newestVersion: .v3_0, unrecognizedOptions: [])), .noData,
        .notificationResponse(notification), .parameterDescription(parameterTypes),
        .parameterStatus(parameter), .parseComplete, .portalSuspended, ready(), .rowDescription(columns),
    ]

    /// The messages that may arrive at any point of a session and never belong to a request.
    static let asynchronous: [BackendMessage] = [
        .noticeResponse(notice), .notificationResponse(notification), .parameterStatus(parameter),
    ]

    /// Every message kind except the named ones.
    static func allExcept(_ names: Set<String>) -> [BackendMessage] {
        oneOfEach.filter { !names.contains($0.name) }
    }
}

extension ConnectionAction {
    /// The machine's answer to a message that has no place where it arrived.
    static func unexpected(_ messageName: String, failing requests: [RequestID] = []) -> ConnectionAction {
        .failAndClose(.protocolViolation(PGWireError(.unexpectedMessage, message: messageName)), failedRequests: requests)
    }

    /// The action a message that may arrive at any time causes.
    static func asynchronous(_ message: BackendMessage) -> ConnectionAction? {
        switch message {
        case .noticeResponse(let notice): .notice(notice)
        case .notificationResponse(let notification): .notification(notification)
        case .parameterStatus(let status): .parameterStatus(status)
        default: nil
        }
    }
}

/// How the test connects: in plain text, or over TLS with the certificate the handshake gave.
enum Transport {
    case plain
    case tls(certificate: [UInt8]?)
}

/// One event in a scripted exchange.
enum ScriptEvent: Hashable, Sendable {
    case message(BackendMessage)
    case submit(RequestID, QueryRequest)
    case close
}

extension ConnectionStateMachine {
    /// A machine that finished a trust startup in plain text and is ready for requests.
    static func connected(_ settings: ConnectionSettings = .plain()) -> ConnectionStateMachine {
        var machine = ConnectionStateMachine(settings: settings)
        _ = machine.socketConnected()
        let actions = machine.receive([.authentication(.ok)] + Backend.sessionStart)
        #expect(actions.last == .connected)
        return machine
    }

    /// A machine that sent its StartupMessage and waits for the server's first authentication
    /// request.
    static func awaitingAuthentication(
        _ settings: ConnectionSettings, over transport: Transport = .plain
    ) -> ConnectionStateMachine {
        var settings = settings
        var machine: ConnectionStateMachine
        switch transport {
        case .plain:
            settings.tls = .disable
            machine = ConnectionStateMachine(settings: settings)
            #expect(machine.socketConnected() == .sendMessage(.startup(settings.startupMessage)))
        case .tls(let certificate):
            settings.tls = .require
            machine = ConnectionStateMachine(settings: settings)
            #expect(machine.socketConnected() == .sendSSLRequest)
            #expect(machine.sslResponseReceived(.accepted, unencryptedBytesFollowing: false) == .startTLSHandshake)
            #expect(machine.tlsHandshakeCompleted(serverCertificateDER: certificate)
                == .sendMessage(.startup(settings.startupMessage)))
        }
        return machine
    }

    /// A ready machine with these requests submitted, in order.
    static func connected(submitting requests: [(RequestID, QueryRequest)]) -> ConnectionStateMachine {
        var machine = connected()
        for (id, request) in requests {
            #expect(machine.requestSubmitted(id, request) == .writeRequest(id))
        }
        return machine
    }

    /// Feeds messages in order and returns the action each caused.
    mutating func receive(_ messages: [BackendMessage]) -> [ConnectionAction] {
        messages.map { messageReceived($0) }
    }

    /// Applies one scripted event.
    mutating func apply(_ event: ScriptEvent) -> ConnectionAction {
        switch event {
        case .message(let message): messageReceived(message)
        case .submit(let id, let request): requestSubmitted(id, request)
        case .close: closeRequested()
        }
    }

    /// Applies scripted events in order and returns the action each caused.
    mutating func apply(_ events: [ScriptEvent]) -> [ConnectionAction] {
        events.map { apply($0) }
    }
}

/// A SCRAM-SHA-256 server, played from messages computed independently with Python's hashlib and
/// hmac for the password `pencil`, salt `state-machine-salt` and 4096 iterations (RFC 5802 §3:
/// SaltedPassword = PBKDF2(password, salt, i), proof = ClientKey XOR HMAC(StoredKey, AuthMessage),
/// signature = HMAC(ServerKey, AuthMessage), with an empty user name as PostgreSQL wants).
enum SimulatedSCRAMServer {
    static let password = "pencil"
    static let clientNonce = "c3RhdGUtbWFjaGluZS10ZXN0"
    static let serverFirst = "r=c3RhdGUtbWFjaGluZS10ZXN0c2ltdWxhdGVkLXNlcnZlcg,s=c3RhdGUtbWFjaGluZS1zYWx0,i=4096"

    /// One exchange: what the client must send, and the server's genuine final message.
    struct Exchange {
        let mechanism: String
        let clientFirst: String
        let clientFinal: String
        let serverFinal: String

        var initialResponse: ConnectionAction {
            .sendMessage(.saslInitialResponse(.init(mechanism: mechanism, initialResponse: Array(clientFirst.utf8))))
        }
        var response: ConnectionAction { .sendMessage(.saslResponse(.init(data: Array(clientFinal.utf8)))) }
        var final: BackendMessage { .authentication(.saslFinal(data: ByteBuffer(string: serverFinal))) }
    }

    /// Gs2 header `n,,`: the client does not bind.
    static let unbound = Exchange(
        mechanism: "SCRAM-SHA-256", clientFirst: "n,,n=,r=c3RhdGUtbWFjaGluZS10ZXN0",
        clientFinal: "c=biws,r=c3RhdGUtbWFjaGluZS10ZXN0c2ltdWxhdGVkLXNlcnZlcg,p=OKK+/G6zDi7iYc55wFDfBpluHAq/sUgOX5LBn5iviC0=",
        serverFinal: "v=YjVbbxvlnJIDdoCvp4E5c910S6Wu6g/e+gXDvQ8XgGQ=")
    /// Gs2 header `y,,`: the client could bind, but the server did not offer -PLUS.
    static let bindingNotOffered = Exchange(
        mechanism: "SCRAM-SHA-256", clientFirst: "y,,n=,r=c3RhdGUtbWFjaGluZS10ZXN0",
        clientFinal: "c=eSws,r=c3RhdGUtbWFjaGluZS10ZXN0c2ltdWxhdGVkLXNlcnZlcg,p=O7S5WY79tVvs/B+mQZSD3nm3hPnedCWwvlNKPEXfNSM=",
        serverFinal: "v=CX9mPWj2phS1/aL7QuaHVlcLEQr484XNJwpSZRJ9wiU=")
    /// SCRAM-SHA-256-PLUS bound to `Fixtures/auth/certificates/rsa-sha256.der` (tls-server-end-point,
    /// SHA-256 of the DER).
    static let bound = Exchange(
        mechanism: "SCRAM-SHA-256-PLUS", clientFirst: "p=tls-server-end-point,,n=,r=c3RhdGUtbWFjaGluZS10ZXN0",
        clientFinal: "c=cD10bHMtc2VydmVyLWVuZC1wb2ludCwsn6BBSwDOyXA8C2vO6/84gizXp8D1Jmcf7plgLWA8ER0=,"
            + "r=c3RhdGUtbWFjaGluZS10ZXN0c2ltdWxhdGVkLXNlcnZlcg,p=Kw3n6YmJQOSUSGQD7boMnMn5ROmF7cKK+dhGk6x7vhQ=",
        serverFinal: "v=w6kHNe2BM1ncWJfKoiQ/kLtMdBkUvAdOA31EvK5lzNc=")

    static func certificate() throws -> [UInt8] { try AuthenticationFixtures.certificate("rsa-sha256.der") }

    static func offer(_ mechanisms: String...) -> BackendMessage { .authentication(.sasl(mechanisms: mechanisms)) }
    static let continueMessage = BackendMessage.authentication(.saslContinue(data: ByteBuffer(string: serverFirst)))

    /// Settings that make the client's side of the exchange deterministic.
    static func settings(channelBinding: ConnectionSettings.ChannelBindingPolicy = .prefer) -> ConnectionSettings {
        var settings = ConnectionSettings.plain(password: password)
        settings.channelBinding = channelBinding
        settings.scramClientNonce = clientNonce
        return settings
    }
}
