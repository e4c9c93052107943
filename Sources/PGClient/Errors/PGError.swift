public import PGWire

/// Every error pgwire-swift's client throws: a server error with all its fields, or a client-side
/// failure of a known ``Kind``.
///
/// Two questions every caller has are answered directly: what happened (``kind``, ``sqlState``,
/// ``message``), and whether it is safe to run the statement again (``isSafeToRetry``, true only
/// when no byte of the request reached the server).
///
/// ```swift
/// do {
///     try await connection.execute("INSERT INTO accounts (id) VALUES (\(id))")
/// } catch let error as PGError where error.sqlState == .uniqueViolation {
///     print(error.constraintName ?? "", error.detail ?? "")
/// }
/// ```
public struct PGError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Hashable, Sendable {
        /// The server reported an error (ErrorResponse); see ``serverFields``.
        case server
        /// The connection closed or broke; it cannot be used any more.
        case connectionClosed
        /// The TCP (or unix-socket) connection could not be made, or timed out.
        case connectionFailed
        /// The server broke the wire protocol; the connection was closed.
        case protocolViolation
        /// Authentication failed on the client's side (SCRAM proof, channel binding, require_auth).
        case authentication
        /// TLS could not be negotiated or the server's certificate was not trusted.
        case tls
        /// The connection string or settings were invalid.
        case configuration
        /// A client-side deadline passed.
        case timeout
        /// The caller's task was cancelled; a CancelRequest was sent for a running statement.
        case cancelled
        /// A Swift value could not be encoded as a parameter.
        case encoding
        /// A column could not be decoded into the requested Swift type.
        case decoding
        /// A statement of a batch was not run because an earlier one failed.
        case skipped
        /// COMMIT was answered with ROLLBACK: the transaction had failed, and nothing was committed.
        case transactionRolledBack
        /// The connection was lost after COMMIT was sent: the transaction may or may not have
        /// committed. Never retried automatically.
        case commitStateUnknown
        /// The API was used in a way the connection's state does not allow (e.g. a query on a
        /// closed connection).
        case invalidUsage
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The server's fields, for ``Kind/server`` (and for server errors that ended startup).
    public var serverFields: [ResponseField: String]
    /// A human-readable explanation (the server's message for server errors).
    public var message: String
    /// Whether any byte of the failed request may have reached the server.
    public var requestWasSent: Bool
    /// The SQL text of the failed statement, when there was one. Parameter values are never
    /// kept, so they cannot leak into logs.
    public var query: String?
    /// The id of the transaction whose COMMIT has an unknown outcome, when it was started with
    /// ``PGTransactionOptions/resolvableCommit``: pass it to ``PGPool/resolveCommit(_:)``.
    public var transactionID: PGTransactionID?

    /// Creates an error.
    public init(
        _ kind: Kind, message: String, serverFields: [ResponseField: String] = [:],
        requestWasSent: Bool, query: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.serverFields = serverFields
        self.requestWasSent = requestWasSent
        self.query = query
    }

    /// Whether running the request again cannot run anything twice: true only when no byte of
    /// it was sent.
    public var isSafeToRetry: Bool { !requestWasSent }

    /// The SQLSTATE code, for server errors.
    public var sqlState: SQLState? { serverFields[.sqlState].map(SQLState.init(rawValue:)) }
    /// The non-localized severity (`ERROR`, `FATAL`, `PANIC`), for server errors.
    public var severity: String? { serverFields[.severity] ?? serverFields[.localizedSeverity] }
    /// The server's detail message.
    public var detail: String? { serverFields[.detail] }
    /// The server's hint.
    public var hint: String? { serverFields[.hint] }
    /// The 1-based character position of the error in the query text.
    public var position: Int? { serverFields[.position].flatMap { Int($0) } }
    /// The context in which the error occurred (PL/pgSQL call stack).
    public var context: String? { serverFields[.locationContext] }
    /// The schema of the object involved.
    public var schemaName: String? { serverFields[.schemaName] }
    /// The table involved.
    public var tableName: String? { serverFields[.tableName] }
    /// The column involved.
    public var columnName: String? { serverFields[.columnName] }
    /// The data type involved.
    public var dataTypeName: String? { serverFields[.dataTypeName] }
    /// The constraint involved.
    public var constraintName: String? { serverFields[.constraintName] }

    public var description: String {
        var text: String
        if kind == .server {
            text = "\(severity ?? "ERROR"): \(message)"
            if let sqlState { text += " (SQLSTATE \(sqlState))" }
            if let detail { text += "\nDETAIL: \(detail)" }
            if let hint { text += "\nHINT: \(hint)" }
        } else {
            text = "\(kind): \(message)"
        }
        return text
    }

    /// Whether the connection ended before the server said how the request ended: closed, or
    /// given up after a cancel the server did not act on (a cancel the server confirmed comes
    /// with its SQLSTATE).
    var leftOutcomeUnknown: Bool {
        kind == .connectionClosed || ((kind == .cancelled || kind == .timeout) && sqlState == nil)
    }

    /// The error of a request whose deadline (``PGConnection/Options/requestTimeout``) passed
    /// and cancelled it: of kind ``Kind/timeout`` (the server's fields are kept).
    func reportingTimeout(after limit: Duration) -> PGError {
        guard kind == .cancelled || (kind == .server && sqlState == .queryCanceled) else { return self }
        var timedOut = self
        timedOut.kind = .timeout
        timedOut.message = "the request took longer than its requestTimeout (\(limit)) and was cancelled: \(message)"
        return timedOut
    }

    /// The error as the caller should see it: a `57014 query_canceled` that the calling task's
    /// own cancellation caused is of kind ``Kind/cancelled`` (the server's fields are kept).
    func reportingCancellation() -> PGError {
        guard kind == .server, sqlState == .queryCanceled, Task.isCancelled else { return self }
        var cancelled = self
        cancelled.kind = .cancelled
        return cancelled
    }

    /// A server error from its ErrorResponse.
    static func server(_ fields: [ResponseField: String], query: String?) -> PGError {
        PGError(
            .server, message: fields[.message] ?? "(no message)", serverFields: fields,
            requestWasSent: true, query: query)
    }
}
