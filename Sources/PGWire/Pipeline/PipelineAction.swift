package import NIOCore

/// What ``RequestPipeline`` asks its I/O shell to do. Actions carry values only; the shell maps
/// request ids to its promises and streams and performs them in the order they come.
package enum PipelineAction: Sendable {
    /// A startup, notification or parameter action of the connection itself
    /// (``ConnectionAction/sendSSLRequest``, ``ConnectionAction/startTLSHandshake``,
    /// ``ConnectionAction/sendMessage(_:)``, ``ConnectionAction/connected``,
    /// ``ConnectionAction/notification(_:)``, ``ConnectionAction/parameterStatus(_:)``).
    case connection(ConnectionAction)
    /// A notice from the server, which came while `during` was being answered (`nil`: between
    /// requests, or during startup): the shell logs it where that request's lines go.
    case notice(BackendMessage.NoticeResponse, during: RequestID?)
    /// Write the request's messages as planned. Every check was made: writing cannot fail.
    case write(RequestID, RequestWrite)
    /// A query's result begins: hand the caller these rows, as the whole result when
    /// `commandTag` is given (the statement ended), else as the start of a stream.
    case deliverRows(RequestID, PGColumns, PGElementQueue<BackendMessage.DataRow>, commandTag: String??)
    /// A query's whole result, at its ReadyForQuery: hand the caller these rows (its
    /// statement reported `commandTag`, `nil` for an empty statement), and nothing more will
    /// happen for the request — ``deliverRows(_:_:_:commandTag:)`` and ``requestEnded(_:)`` in
    /// one, for the result most statements have.
    case completeRows(RequestID, PGColumns, PGElementQueue<BackendMessage.DataRow>, commandTag: String?)
    /// More rows of a query's stream.
    case streamRows(RequestID, PGElementQueue<BackendMessage.DataRow>)
    /// A query's stream ends after its rows; the statement reported this tag.
    case finishRows(RequestID, commandTag: String?)
    /// A simple query or batch is done: one result per statement.
    case completeResults(RequestID, [StatementResult])
    /// The server waits for COPY FROM STDIN data.
    case copyInStarted(RequestID)
    /// The server is about to send COPY TO STDOUT data.
    case copyOutStarted(RequestID)
    /// More COPY TO STDOUT data.
    case streamCopyData(RequestID, PGElementQueue<ByteBuffer>)
    /// The COPY TO STDOUT data ended.
    case finishCopyOut(RequestID)
    /// The COPY FROM STDIN was taken, with this tag.
    case completeCopyIn(RequestID, commandTag: String)
    /// An explicitly prepared statement was described: these are its result columns.
    case completePrepare(RequestID, PGColumns)
    /// The request fails (its stream too, if it has one).
    case fail(RequestID, RequestFailure)
    /// A ReadyForQuery came: the session is in `status`, and `requestsLeft` requests are still
    /// in flight or held. Comes before the actions that settle the request it answered, so
    /// that its caller, once resumed, sees both.
    case ready(BackendMessage.TransactionStatus, requestsLeft: Int)
    /// Nothing more will happen for the request: its ReadyForQuery came, or it failed without.
    case requestEnded(RequestID)
    /// The session's state changed in a way a pool must reset (SET, LISTEN, a prepared statement…).
    case sessionChanged
    /// Send a CancelRequest for the running statement (on a connection of its own), report
    /// ``RequestPipeline/cancelDelivered()`` when it is taken, and call
    /// ``RequestPipeline/cancelTick()`` every tick interval until ``stopCancelTicks``.
    case sendCancel
    /// The cancellation is over: stop the ticks.
    case stopCancelTicks
    /// A consumer caught up: read from the socket again.
    case resumeReading
    /// The connection failed: mark it closed, fail a pending connect, and close the socket.
    /// Comes before the failures of the requests, so that their callers find it closed.
    case close(ConnectionFailure)
    /// The client closed the connection: send Terminate and close the socket.
    case terminateAndClose
}

/// What to write for a request, decided and checked by the pipeline.
package enum RequestWrite: Sendable, Hashable {
    /// One statement, then Sync.
    case statement(StatementWrite)
    /// The statements of a batch from `from` on, then Sync once all are written. The shell
    /// reports with ``RequestPipeline/batchWritten(upTo:)`` if the socket fills first.
    case batch(StatementWrites, from: Int)
    /// A Query message with the request's SQL text.
    case query
    /// Parse under the request's name, Describe of the statement, Sync.
    case prepare
    /// Close of this statement, then Sync (a statement the cache let go).
    case closeStatement(String)
}

/// The messages of one statement: Parse (when `parses`, with the statement's text and types),
/// Bind of the unnamed portal to `name` asking for binary results, Describe of the portal (when
/// `describes`), Execute, and Close of `evicted` (a statement the cache let go).
package struct StatementWrite: Sendable, Hashable {
    package let name: String
    package let parses: Bool
    package var describes: Bool
    package let evicted: String?
}

/// The statements of a batch, as the shell writes them.
package enum StatementWrites: Sendable, Hashable {
    /// One write per statement (a list of queries).
    case each([StatementWrite])
    /// One statement run with `count` parameter sets: the first set's write, and the one every
    /// later set shares (a list of `count` equal writes retained and released their names once
    /// per set). Boxed, so that a request's write stays as small as one statement's: it is
    /// moved through the pipeline's actions for every statement.
    indirect case repeated(first: StatementWrite, later: StatementWrite, count: Int)

    /// How many statements the batch has.
    package var count: Int {
        switch self {
        case .each(let writes): writes.count
        case .repeated(_, _, let count): count
        }
    }

    /// The write of statement `position`, which must be below ``count``.
    package subscript(position: Int) -> StatementWrite {
        switch self {
        case .each(let writes): writes[position]
        case .repeated(let first, let later, _): position == 0 ? first : later
        }
    }
}

/// One statement's result in a simple query or batch.
package enum StatementResult: Sendable {
    /// It ran: its columns (none for a statement without rows), rows and tag (`nil` for an
    /// empty statement).
    case rows(PGColumns?, PGElementQueue<BackendMessage.DataRow>, commandTag: String?)
    /// It failed.
    case failed(BackendMessage.ErrorResponse)
    /// It was not run: statement `failedStatement` (counting from 0) failed before it.
    case skipped(failedStatement: Int)
}

/// Why a request failed.
package enum RequestFailure: Sendable {
    /// The server reported this error for the request (its first one).
    case server(BackendMessage.ErrorResponse)
    /// The connection failed or closed; whether the request had been sent.
    case connection(ConnectionFailure, requestWasSent: Bool)
    /// The request cannot be written (a NUL in its text, too many parameters, too large); it was
    /// not sent.
    case invalid(PGWireError)
    /// The statement ended without a result (a protocol violation by the server).
    case noResult
    /// The COPY TO STDOUT ended without data (a protocol violation by the server).
    case noCopyData
    /// The request's caller was cancelled and its statement did not end in time: the connection
    /// is closed, and whether the statement took effect is not known.
    case cancelNotConfirmed
    /// The request's caller was cancelled before the request ended and was let go: the request
    /// was never written (`requestWasSent` false), or it was and whether it took effect is not
    /// known. What is left of its answer is dropped; the connection goes on.
    case cancelled(requestWasSent: Bool)
}
