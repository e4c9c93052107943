import NIOCore

/// A message the server sends to the client.
///
/// Each case carries a value type named as in the PostgreSQL documentation
/// (`BackendMessage.DataRow`, `BackendMessage.ReadyForQuery`). Values keep slices of the received
/// buffer where the bytes are bulk data (rows, COPY data), so decoding copies nothing.
///
/// ```swift
/// var decoder = BackendMessageDecoder()
/// decoder.append(bytesFromSocket)
/// while let message = try decoder.next() {
///     if case .readyForQuery(let ready) = message { print(ready.transactionStatus) }
/// }
/// ```
public enum BackendMessage: Hashable, Sendable {
    /// `R`: an authentication request or result.
    case authentication(Authentication)
    /// `K`: the process ID and secret key needed to cancel queries on this connection.
    case backendKeyData(BackendKeyData)
    /// `2`: a Bind succeeded.
    case bindComplete
    /// `3`: a Close succeeded.
    case closeComplete
    /// `C`: a command finished; carries its tag and affected-row count.
    case commandComplete(CommandComplete)
    /// `G`: the server is ready to receive COPY data.
    case copyInResponse(CopyResponse)
    /// `H`: the server is about to send COPY data.
    case copyOutResponse(CopyResponse)
    /// `W`: a COPY in both directions started (streaming replication).
    case copyBothResponse(CopyResponse)
    /// `d`: a chunk of COPY data.
    case copyData(CopyData)
    /// `c`: the COPY data stream ended.
    case copyDone
    /// `D`: one row of a result.
    case dataRow(DataRow)
    /// `I`: the query string was empty.
    case emptyQueryResponse
    /// `E`: the current command failed.
    case errorResponse(ErrorResponse)
    /// `N`: a notice (warning, info) that does not end the command.
    case noticeResponse(NoticeResponse)
    /// `v`: the server does not support the requested minor protocol version or options.
    case negotiateProtocolVersion(NegotiateProtocolVersion)
    /// `n`: the described statement or portal returns no rows.
    case noData
    // This case and `parameterStatus`, the largest payloads and rare messages both, are boxed:
    // unboxed, a message took 41 bytes, and was destroyed through the runtime's generic value
    // witnesses wherever the decoder handed one over, several times a statement.
    /// `A`: a NOTIFY on a channel this session listens to.
    indirect case notificationResponse(NotificationResponse)
    /// `t`: the parameter types of a described statement.
    case parameterDescription(ParameterDescription)
    /// `S`: a run-time parameter's value (sent at startup and whenever it changes).
    indirect case parameterStatus(ParameterStatus)
    /// `1`: a Parse succeeded.
    case parseComplete
    /// `s`: an Execute stopped at its row limit; the portal has more rows.
    case portalSuspended
    /// `Z`: the server is ready for a new query; carries the transaction status.
    case readyForQuery(ReadyForQuery)
    /// `T`: the columns of the rows that follow.
    case rowDescription(RowDescription)
}

/// A backend message's value: how its body is read and written. ``BackendMessageKind`` maps type
/// bytes and names to these.
protocol BackendMessagePayload: Hashable, Sendable {
    /// Reads the body (everything after the length field).
    static func decode(from reader: inout MessageReader) throws(PGWireError) -> Self
    /// Writes the body (everything after the length field).
    func encodeBody(into buffer: inout ByteBuffer)
}
