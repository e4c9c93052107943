import Logging
public import PGWire
import Synchronization

/// The connection state that callers read from any thread while the event loop updates it.
final class PGConnectionShared: Sendable {
    struct State: Sendable {
        var serverParameters: [String: String] = [:]
        var backendKeyData: BackendMessage.BackendKeyData?
        var authenticationMethod: ConnectionSettings.AuthenticationMethod?
        var isChannelBound = false
        var usesTLS = false
        var tlsVersion: String?
        var isClosed = false
        var noticeHandler: (@Sendable (PGNotice) -> Void)?
        var notificationHandler: (@Sendable (PGNotification) -> Void)?
        /// Subscribers by channel name, each under its own number.
        var listeners: [String: [Int: AsyncStream<PGNotification>.Continuation]] = [:]
        var nextListenerID = 1
        /// The types loaded by name (``PGConnection/loadTypes(_:)``).
        var typeRegistry = PGTypeRegistry()
    }

    private let state = Mutex(State())

    /// Requests from callers off the event loop, waiting for its next turn.
    let submissions = PGSubmissionQueue()

    /// The transaction status of the last ReadyForQuery, as its byte: set for every statement,
    /// so an atomic rather than a field under the lock.
    private let transactionStatusByte = Atomic<UInt8>(BackendMessage.TransactionStatus.idle.rawValue)

    /// The transaction status after the last completed request.
    var transactionStatus: BackendMessage.TransactionStatus {
        get { BackendMessage.TransactionStatus(rawValue: transactionStatusByte.load(ordering: .acquiring)) ?? .idle }
        set { transactionStatusByte.store(newValue.rawValue, ordering: .releasing) }
    }

    /// Requests written to the server and not yet finished by ReadyForQuery. ``PGPool`` takes a
    /// connection back as clean only when none is left.
    let requestsInFlight = Atomic<Int>(0)
    /// Set when a statement may have changed the session beyond its transaction (see
    /// `SessionChange`) or the server reported a changed parameter; ``PGPool`` reads and clears
    /// it when the connection comes back.
    let sessionChanged = Atomic<Bool>(false)

    /// One value read from the state under the lock, such as `read { $0.isClosed }`:
    /// a copy of the whole state would retain and release each of its dictionaries, strings
    /// and handlers.
    func read<Value: Sendable>(_ value: (borrowing State) -> Value) -> Value {
        state.withLock { value($0) }
    }

    /// The session is ready: what startup settled becomes readable.
    func connected(_ machine: ConnectionStateMachine) {
        transactionStatus = machine.transactionStatus
        update { state in
            state.serverParameters = machine.serverParameters
            state.backendKeyData = machine.backendKeyData
            state.authenticationMethod = machine.authenticationMethod
            state.isChannelBound = machine.isChannelBound
            state.usesTLS = machine.usesTLS
        }
    }

    /// Changes the state under the lock and returns what `change` returns.
    @discardableResult
    func update<Result: Sendable>(_ change: (inout State) -> Result) -> Result {
        state.withLock { change(&$0) }
    }

    /// Logs a server notice at `level` (`debug` unless the options say otherwise: a notice is the
    /// server talking about a statement, not the driver about itself) and hands it to the notice
    /// handler.
    func deliver(notice: BackendMessage.NoticeResponse, logger: Logger, level: Logger.Level) {
        let notice = PGNotice(fields: notice.fields)
        logger.log(level: level, "server notice", metadata: [
            "severity": "\(notice.severity ?? "NOTICE")", "sqlstate": "\(notice.sqlState?.rawValue ?? "")",
            "message": "\(notice.message)",
        ])
        state.withLock { $0.noticeHandler }?(notice)
    }

    func deliver(notification: BackendMessage.NotificationResponse) {
        let value = PGNotification(
            channel: notification.channel, payload: notification.payload, processID: notification.processID)
        let (handler, subscribers) = state.withLock { state in
            (state.notificationHandler, state.listeners[notification.channel].map { Array($0.values) } ?? [])
        }
        for subscriber in subscribers { subscriber.yield(value) }
        handler?(value)
    }

    /// Adds a subscriber; returns its number and whether it is the channel's first.
    func addListener(_ channel: String, _ continuation: AsyncStream<PGNotification>.Continuation) -> (id: Int, isFirst: Bool) {
        state.withLock { state in
            let id = state.nextListenerID
            state.nextListenerID += 1
            let isFirst = state.listeners[channel]?.isEmpty ?? true
            state.listeners[channel, default: [:]][id] = continuation
            return (id, isFirst)
        }
    }

    /// Removes a subscriber; returns whether it was the channel's last.
    func removeListener(_ channel: String, id: Int) -> Bool {
        state.withLock { state in
            guard state.listeners[channel]?.removeValue(forKey: id) != nil else { return false }
            if state.listeners[channel]?.isEmpty == true {
                state.listeners[channel] = nil
                return true
            }
            return false
        }
    }

    /// Ends every subscription: the connection closed.
    func finishListeners() {
        let all = state.withLock { state in
            defer { state.listeners.removeAll() }
            return state.listeners.values.flatMap(\.values)
        }
        for continuation in all { continuation.finish() }
    }
}

/// A notice from the server: a warning or information that did not stop the statement.
public struct PGNotice: Sendable, Hashable, CustomStringConvertible {
    /// Every field the server sent.
    public var fields: [ResponseField: String]
    /// The severity (`WARNING`, `NOTICE`, `INFO`, `DEBUG`, `LOG`).
    public var severity: String? { fields[.severity] ?? fields[.localizedSeverity] }
    /// The SQLSTATE code.
    public var sqlState: SQLState? { fields[.sqlState].map(SQLState.init(rawValue:)) }
    /// The message.
    public var message: String { fields[.message] ?? "" }
    public var description: String { "\(severity ?? "NOTICE"): \(message)" }
}

/// A notification sent with `NOTIFY` (or `pg_notify`) on a channel the connection listens to.
public struct PGNotification: Sendable, Hashable {
    /// The channel's name.
    public var channel: String
    /// The payload; empty when none was given.
    public var payload: String
    /// The process ID of the sending session.
    public var processID: Int32
}
