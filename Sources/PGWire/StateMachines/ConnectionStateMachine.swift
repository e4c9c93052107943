import NIOCore

/// The whole life of one connection as a plain value: events in, actions out.
///
/// It knows the protocol and nothing else: no sockets, clocks or locks. Its I/O shell reports
/// what happened (`socketConnected`, `messageReceived`, `requestSubmitted`, …) and carries out
/// the ``ConnectionAction`` each event returns. Startup covers TLS negotiation and every
/// authentication method; after it, any number of requests may be in flight at once (pipelining),
/// and the server's responses are matched to them in order. Notices, notifications and parameter
/// changes may arrive at any point and are passed on without disturbing the request in progress.
///
/// ```swift
/// var machine = ConnectionStateMachine(settings: settings)
/// var action = machine.socketConnected()            // .sendSSLRequest or .sendMessage(startup)
/// // … after ReadyForQuery: .connected
/// action = machine.requestSubmitted(RequestID(1), .extended(.parseBindDescribeExecute))
/// // .writeRequest(#1), then per message: .parseComplete, .rowDescription, .dataRow, …,
/// // .requestCompleted(#1, .idle)
/// ```
///
/// After any failure the machine is closed and says so in the action; it never waits forever.
public struct ConnectionStateMachine: Sendable {
    /// A plain enum, with the authentication's progress kept beside it (``authentication``): every
    /// message after startup tests the state, and a state with a payload was copied for each test.
    enum State: Sendable {
        case initialized
        case awaitingSSLResponse
        /// The server answered the SSLRequest with `E`; its ErrorResponse follows.
        case awaitingSSLErrorResponse
        case tlsHandshaking
        /// Startup sent; the exchange is in ``authentication``.
        case authenticating
        /// Authenticated; BackendKeyData and ParameterStatus arrive until ReadyForQuery.
        case awaitingReady
        case ready
        case closed
    }

    private var state = State.initialized
    /// The authentication exchange, while the state is ``State/authenticating``.
    private var authentication: StartupAuthentication?
    /// The settings the session was started with.
    public let settings: ConnectionSettings
    /// The requests sent and not yet answered by ReadyForQuery, oldest first.
    private var requests = CircularBuffer<RequestTracker>()
    /// Whether the head request's rows may come next, as of the last message.
    private var headRowsExpectation: RowsExpectation?

    /// The statement of the head request whose rows may come next, if a DataRow is one of the
    /// messages the machine expects.
    ///
    /// While it is set, the action for a DataRow is always
    /// ``ConnectionAction/dataRow(_:statement:_:)`` for this statement, so a caller may take
    /// DataRows straight from the decoder (``BackendMessageDecoder/nextDataRow()``) — calling
    /// ``rowsStarted()`` for the first one when ``RowsExpectation/isFirstRow`` says so — and
    /// pass every other message to ``messageReceived(_:)``.
    public var rowsExpectation: RowsExpectation? {
        // Only set while a request is in flight, which only happens in the ready state.
        headRowsExpectation
    }

    /// The first DataRow of the statement ``rowsExpectation`` named was taken from the decoder.
    public mutating func rowsStarted() {
        guard headRowsExpectation?.isFirstRow == true, !requests.isEmpty else { return }
        requests.modify(requests.startIndex) { $0.rowsStarted() }
        headRowsExpectation?.isFirstRow = false
    }

    /// The server's run-time parameters (`server_version`, `TimeZone`, …), kept current.
    public private(set) var serverParameters: [String: String] = [:]
    /// The key for cancelling queries on this connection, once the server has sent it.
    public private(set) var backendKeyData: BackendMessage.BackendKeyData?
    /// The transaction status from the last ReadyForQuery.
    public private(set) var transactionStatus = BackendMessage.TransactionStatus.idle
    /// The protocol version in use: the requested one, or the older one the server offered.
    public private(set) var protocolVersion: ProtocolVersion
    /// Whether the connection is encrypted with TLS.
    public private(set) var usesTLS = false
    /// The authentication method the server asked for, once startup is past it.
    public private(set) var authenticationMethod: ConnectionSettings.AuthenticationMethod?
    /// Whether SCRAM was bound to the TLS channel (SCRAM-SHA-256-PLUS).
    public private(set) var isChannelBound = false

    /// Creates a machine for a connection that is about to be opened.
    public init(settings: ConnectionSettings) {
        self.settings = settings
        self.protocolVersion = settings.protocolVersion
    }

    /// Whether the session is ready for requests.
    public var isReady: Bool {
        if case .ready = state { return true }
        return false
    }

    /// Whether the machine has closed the connection.
    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// The number of requests sent and not yet completed.
    public var requestsInFlight: Int { requests.count }

    // MARK: Startup

    /// The socket is connected: ask for TLS, or start the session in plain text.
    public mutating func socketConnected() -> ConnectionAction {
        guard case .initialized = state else { return unexpectedEvent("socketConnected") }
        if settings.tls == .disable {
            return sendStartup(tlsCertificate: nil)
        }
        state = .awaitingSSLResponse
        return .sendSSLRequest
    }

    /// The server answered the SSLRequest.
    ///
    /// - Parameters:
    ///   - response: `S` (start TLS) or `N` (go on in plain text).
    ///   - unencryptedBytesFollowing: whether more bytes arrived with the answer. After an `S`
    ///     they were not encrypted and are refused (CVE-2021-23222).
    public mutating func sslResponseReceived(_ response: SSLResponse, unencryptedBytesFollowing: Bool) -> ConnectionAction {
        guard case .awaitingSSLResponse = state else { return unexpectedEvent("SSLRequest response") }
        switch response {
        case .accepted:
            guard !unencryptedBytesFollowing else { return fail(.unencryptedBytesAfterSSLResponse) }
            state = .tlsHandshaking
            return .startTLSHandshake
        case .refused:
            guard settings.tls != .require else { return fail(.tlsRefused) }
            return sendStartup(tlsCertificate: nil)
        case .error:
            state = .awaitingSSLErrorResponse
            return .none
        }
    }

    /// The TLS handshake finished.
    ///
    /// - Parameter serverCertificateDER: the server's end-entity certificate, for SCRAM channel
    ///   binding; `nil` when the TLS library did not give it (binding is then impossible).
    public mutating func tlsHandshakeCompleted(serverCertificateDER: [UInt8]?) -> ConnectionAction {
        guard case .tlsHandshaking = state else { return unexpectedEvent("tlsHandshakeCompleted") }
        usesTLS = true
        return sendStartup(tlsCertificate: serverCertificateDER ?? [])
    }

    private mutating func sendStartup(tlsCertificate: [UInt8]?) -> ConnectionAction {
        state = .authenticating
        authentication = StartupAuthentication(settings: settings, tlsCertificate: tlsCertificate)
        return .sendMessage(.startup(settings.startupMessage))
    }

    // MARK: Messages

    /// A complete message arrived from the server.
    public mutating func messageReceived(_ message: BackendMessage) -> ConnectionAction {
        // Tested first: this is the path of every message after startup.
        if case .ready = state { return receiveWhileReady(message) }
        switch state {
        case .initialized, .awaitingSSLResponse, .tlsHandshaking:
            return fail(.protocolViolation(PGWireError(.unexpectedMessage, message: message.name)))
        case .awaitingSSLErrorResponse:
            if case .errorResponse(let error) = message { return fail(.server(error)) }
            return fail(.protocolViolation(PGWireError(.unexpectedMessage, message: message.name)))
        case .authenticating:
            // Taken out while it runs, so that it is changed in place, and kept only while the
            // exchange goes on.
            guard var exchange = authentication.take() else {
                return fail(.protocolViolation(PGWireError(.unexpectedMessage, message: message.name)))
            }
            let action = receiveDuringAuthentication(message, &exchange)
            if case .authenticating = state { authentication = exchange }
            return action
        case .awaitingReady:
            return receiveBeforeReady(message)
        case .ready:
            return receiveWhileReady(message)
        case .closed:
            return .none
        }
    }

    /// The decoder found a protocol violation in the incoming bytes.
    public mutating func decodingFailed(_ error: PGWireError) -> ConnectionAction {
        guard !isClosed else { return .none }
        return fail(.protocolViolation(error))
    }

    private mutating func receiveDuringAuthentication(
        _ message: BackendMessage, _ exchange: inout StartupAuthentication
    ) -> ConnectionAction {
        switch message {
        case .authentication(let request):
            let step = exchange.receive(request)
            authenticationMethod = exchange.method
            isChannelBound = exchange.channelBound
            switch step {
            case .send(let reply):
                return .sendMessage(reply)
            case .wait:
                return .none
            case .authenticated:
                state = .awaitingReady
                return .none
            case .fail(let failure):
                return fail(failure)
            }
        case .negotiateProtocolVersion(let negotiation):
            guard case .awaitingRequest = exchange.phase else { break }
            guard negotiation.newestVersion.major == 3, negotiation.newestVersion < protocolVersion else {
                return fail(.unsupportedProtocolVersion("the server offers \(negotiation.newestVersion)"))
            }
            protocolVersion = negotiation.newestVersion
            return .none
        case .errorResponse(let error):
            return fail(.server(error))
        case .noticeResponse(let notice):
            return .notice(notice)
        case .parameterStatus(let status):
            return record(status)
        default:
            break
        }
        return fail(.protocolViolation(PGWireError(.unexpectedMessage, message: message.name)))
    }

    private mutating func receiveBeforeReady(_ message: BackendMessage) -> ConnectionAction {
        switch message {
        case .backendKeyData(let key):
            guard backendKeyData == nil else { break }
            backendKeyData = key
            return .none
        case .parameterStatus(let status):
            return record(status)
        case .noticeResponse(let notice):
            return .notice(notice)
        case .errorResponse(let error):
            return fail(.server(error))
        case .readyForQuery(let ready):
            transactionStatus = ready.transactionStatus
            state = .ready
            return .connected
        default:
            break
        }
        return fail(.protocolViolation(PGWireError(.unexpectedMessage, message: message.name)))
    }

    private mutating func receiveWhileReady(_ message: BackendMessage) -> ConnectionAction {
        switch message {
        case .parameterStatus(let status):
            return record(status)
        case .noticeResponse(let notice):
            return .notice(notice)
        case .notificationResponse(let notification):
            return .notification(notification)
        case .errorResponse(let error) where Self.endsSession(error):
            // FATAL or PANIC: the server closes the connection after this message.
            return fail(.server(error))
        default:
            break
        }
        guard !requests.isEmpty else {
            return fail(.protocolViolation(PGWireError(.unexpectedMessage, message: message.name)))
        }
        // Updated in place: copying the tracker out and back retained and released its steps
        // for every message.
        var expectation: RowsExpectation?
        let outcome = requests.modify(requests.startIndex) { tracker in
            defer { expectation = tracker.rowsExpectation }
            return tracker.receive(message)
        }
        headRowsExpectation = expectation
        switch outcome {
        case .action(let action):
            return action
        case .completed(let status):
            let head = requests.removeFirst()
            // Read in place: a slice of the buffer (`dropFirst`) costs more than the rest here.
            headRowsExpectation = requests.isEmpty ? nil : requests.modify(requests.startIndex) { $0.rowsExpectation }
            transactionStatus = status
            return .requestCompleted(head.id, status)
        case .violation(let error):
            return fail(.protocolViolation(error))
        }
    }

    private mutating func record(_ status: BackendMessage.ParameterStatus) -> ConnectionAction {
        // A server reports a few dozen parameters; a peer sending endless new names must not
        // grow memory without bound, so names past the limit are not kept (values of known
        // names still change).
        guard serverParameters[status.name] != nil || serverParameters.count < Self.maximumServerParameters else {
            return .none
        }
        serverParameters[status.name] = status.value
        return .parameterStatus(status)
    }

    /// The most distinct server parameters kept (PostgreSQL 15 reports 15 of its own).
    public static let maximumServerParameters = 1024

    static func endsSession(_ error: BackendMessage.ErrorResponse) -> Bool {
        let severity = error.fields[.severity] ?? error.fields[.localizedSeverity]
        return severity == "FATAL" || severity == "PANIC"
    }

    // MARK: Requests

    /// The client wants to send a request. If the session is ready, the answer is
    /// ``ConnectionAction/writeRequest(_:)``: write its messages now, even while earlier requests
    /// are still being answered.
    public mutating func requestSubmitted(_ id: RequestID, _ request: QueryRequest) -> ConnectionAction {
        switch state {
        case .ready:
            let tracker = RequestTracker(id: id, request: request)
            if requests.isEmpty { headRowsExpectation = tracker.rowsExpectation }
            requests.append(tracker)
            return .writeRequest(id)
        case .closed:
            return .rejectRequest(id, .closing)
        default:
            return .rejectRequest(id, .notReady)
        }
    }

    // MARK: Closing

    /// The client wants to close the connection. Requests still in flight fail.
    public mutating func closeRequested() -> ConnectionAction {
        switch state {
        case .closed:
            return .none
        case .ready:
            let failed = requests.map(\.id)
            requests.removeAll()
            headRowsExpectation = nil
            state = .closed
            return .sendTerminateAndClose(failedRequests: failed)
        default:
            return fail(.closedByClient)
        }
    }

    /// A cancelled statement did not end within the cancel timeout: the connection is given up.
    public mutating func cancelNotConfirmed() -> ConnectionAction {
        guard !isClosed else { return .none }
        return fail(.cancelNotConfirmed)
    }

    /// The socket closed or failed.
    public mutating func connectionClosed() -> ConnectionAction {
        guard !isClosed else { return .none }
        return fail(.connectionClosed)
    }

    private mutating func fail(_ failure: ConnectionFailure) -> ConnectionAction {
        let failed = requests.map(\.id)
        requests.removeAll()
        headRowsExpectation = nil
        authentication = nil
        state = .closed
        return .failAndClose(failure, failedRequests: failed)
    }

    private mutating func unexpectedEvent(_ event: String) -> ConnectionAction {
        guard !isClosed else { return .none }
        return fail(.protocolViolation(PGWireError(.unexpectedMessage, message: event)))
    }
}
