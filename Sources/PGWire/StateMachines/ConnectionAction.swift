public import NIOCore

/// What the connection state machine asks its I/O shell to do after an event.
///
/// Actions carry values only (messages, rows, errors), so tests compare them with `==`. Row and
/// result actions name the request and the zero-based statement within it.
public enum ConnectionAction: Hashable, Sendable {
    /// Nothing to do.
    case none
    /// Send an SSLRequest and read the one-byte answer.
    case sendSSLRequest
    /// Start the TLS handshake; report it with `tlsHandshakeCompleted`.
    case startTLSHandshake
    /// Send this message (startup and authentication).
    case sendMessage(FrontendMessage)
    /// The session is ready for queries.
    case connected
    /// Write the request's messages now.
    case writeRequest(RequestID)
    /// A statement was parsed (ParseComplete): a named statement now exists on the server.
    case parseComplete(RequestID, statement: Int)
    /// The parameter types of a described statement.
    case parameterDescription(RequestID, statement: Int, BackendMessage.ParameterDescription)
    /// The columns of a statement's rows.
    case rowDescription(RequestID, statement: Int, BackendMessage.RowDescription)
    /// The described statement or portal returns no rows.
    case noData(RequestID, statement: Int)
    /// One row of a statement's result.
    case dataRow(RequestID, statement: Int, BackendMessage.DataRow)
    /// A statement finished.
    case commandComplete(RequestID, statement: Int, BackendMessage.CommandComplete)
    /// A statement was empty.
    case emptyQuery(RequestID, statement: Int)
    /// An Execute hit its row limit; the portal has more rows.
    case portalSuspended(RequestID, statement: Int)
    /// A statement failed. In a batch or simple query the server skips the statements after it
    /// until the request's end; those never get a result and are not run. An error at the Sync of
    /// an extended request, after every statement was answered (the implicit transaction failed
    /// to commit), fails the last statement.
    case statementFailed(RequestID, statement: Int, BackendMessage.ErrorResponse)
    /// The server waits for COPY data: send CopyData, then CopyDone or CopyFail. For an extended
    /// request send Sync after them too: the server ignores a Sync that arrives during COPY IN, so
    /// the one written with the request brings no ReadyForQuery. Nothing else may be written
    /// until then, or the server fails the COPY.
    case copyInStarted(RequestID, statement: Int, BackendMessage.CopyResponse)
    /// The server is about to send COPY data.
    case copyOutStarted(RequestID, statement: Int, BackendMessage.CopyResponse)
    /// A chunk of COPY TO STDOUT data.
    case copyData(RequestID, statement: Int, ByteBuffer)
    /// The request is done (ReadyForQuery); the session is in this transaction state.
    case requestCompleted(RequestID, BackendMessage.TransactionStatus)
    /// A notice from the server, for the notice handler and the log.
    case notice(BackendMessage.NoticeResponse)
    /// A notification for the listeners of its channel.
    case notification(BackendMessage.NotificationResponse)
    /// A server parameter changed (or was reported at startup).
    case parameterStatus(BackendMessage.ParameterStatus)
    /// The request is refused without being sent; the connection is unchanged.
    case rejectRequest(RequestID, ConnectionFailure)
    /// Close the socket: the connection failed. Fail these requests, which were all sent, so
    /// they may or may not have run; fail the pending connect too, if there is one.
    case failAndClose(ConnectionFailure, failedRequests: [RequestID])
    /// Send Terminate and close the socket: the client asked to close. These requests were sent
    /// and had not finished.
    case sendTerminateAndClose(failedRequests: [RequestID])
}
