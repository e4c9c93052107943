import NIOCore
import PGWire

/// A unit of work written into the channel by ``PGConnection`` and carried out by
/// ``PGChannelHandler`` on the event loop.
struct PGRequest: Sendable {
    /// Small: a request is moved and copied on its way to the event loop, and its size is its
    /// largest payload's. A query rides in its result object; batches and prepared statements
    /// are kept out of line (`indirect`).
    enum Kind: Sendable {
        /// An extended-protocol statement (``PGPendingResult/query``) whose rows stream back.
        case query(PGPendingResult)
        /// A simple query (``PGSimpleResult/sql``), all of whose results are collected.
        case simple(PGSimpleResult)
        /// Extended-protocol statements sent together with one Sync; each result is collected.
        indirect case batch(PGBatchStatements, result: PGPendingValue<[Result<PGResultSet, PGError>]>)
        /// `COPY … FROM STDIN` (a simple query): `started` when the server waits for data,
        /// `finished` with the command tag when it has taken it.
        case copyIn(String, started: PGPendingValue<Void>, finished: PGPendingValue<PGCommandResult>)
        /// `COPY … TO STDOUT` (a simple query): its data streams back.
        case copyOut(String, result: PGPendingValue<PGCopyOutSequence>)
        /// Data for the COPY FROM STDIN in progress: bytes, the end, or a failure that aborts it.
        case copyInput(CopyInput)
        /// Parses and describes a statement under a name of its own (``PGPreparedStatement``);
        /// succeeds with its result columns.
        indirect case prepare(PGPreparedTarget.Definition, result: PGPendingValue<PGColumns>)
    }

    /// What the client sends during COPY FROM STDIN.
    enum CopyInput: Sendable {
        case data(ByteBuffer)
        case done
        case fail(String)
    }

    /// Chosen by the connection, so that a caller can name its request (to cancel it) before
    /// the event loop has seen it.
    let id: RequestID
    let kind: Kind
    /// The request's observation, when something observes it: the shell logs the request's
    /// notices and cancellation to its logger.
    let observer: PGOperationObserver?

    init(id: RequestID, kind: Kind, observer: PGOperationObserver? = nil) {
        self.id = id
        self.kind = kind
        self.observer = observer
    }

    /// The SQL text, for errors (never parameter values).
    var sql: String {
        switch kind {
        case .query(let result): result.query.sql
        case .simple(let result): result.sql
        case .copyIn(let sql, _, _), .copyOut(let sql, _): sql
        case .batch(let statements, _): statements.sql
        case .copyInput: "COPY data"
        case .prepare(let definition, _): definition.sql
        }
    }

    /// What the request pipeline needs to know of the request (`nil` for COPY data, which is
    /// written straight to the socket).
    var pipelineRequest: PipelineRequest? {
        switch kind {
        case .query(let result): .query(result.statementSpec)
        case .simple(let result): .simple(result.sql)
        case .batch(.queries(let queries), _): .queries(queries.map(\.statementSpec))
        case .batch(.repeated(let batch), _):
            .repeated(batch.statementSpec, count: batch.count, largestSetBytes: batch.largestSetByteCount)
        case .copyIn(let sql, _, _): .copyIn(sql)
        case .copyOut(let sql, _): .copyOut(sql)
        case .prepare(let definition, _):
            .prepare(name: definition.name, sql: definition.sql, parameterTypes: definition.parameterTypes)
        case .copyInput: nil
        }
    }

    /// The error of a request that never reached the server because the connection was closed
    /// (`cause` says how it was found): not sent, so safe to retry.
    func closedError(_ cause: any Error) -> PGError {
        PGError(.connectionClosed, message: "the connection is closed (\(cause))", requestWasSent: false, query: sql)
    }

    /// Fails what the request's caller waits for.
    func fail(_ error: PGError) {
        switch kind {
        case .query(let result): result.fail(error)
        case .simple(let result): result.fail(error)
        case .batch(_, let result): result.fail(error)
        case .copyIn(_, let started, let finished):
            started.fail(error)
            finished.fail(error)
        case .copyOut(_, let result): result.fail(error)
        case .prepare(_, let result): result.fail(error)
        case .copyInput: break
        }
    }
}

/// The statements of a batch request: separate queries, or one statement run with many
/// parameter sets.
enum PGBatchStatements: Sendable {
    case queries([PGQuery])
    case repeated(PGBatch)

    var count: Int {
        switch self {
        case .queries(let queries): queries.count
        case .repeated(let batch): batch.count
        }
    }

    /// The SQL text of statement `index`, for its error.
    func sql(at index: Int) -> String {
        switch self {
        case .queries(let queries): queries[index].sql
        case .repeated(let batch): batch.sql
        }
    }

    /// The SQL text of them all, for an error of the whole request.
    var sql: String {
        switch self {
        case .queries(let queries): queries.map(\.sql).joined(separator: "; ")
        case .repeated(let batch): batch.sql
        }
    }
}
