import NIOCore
import PGWire

/// The caller's side of a request the pipeline knows of: its results (in the request) and, once
/// the result streams, the stream its caller reads. The handler keeps one for every request but
/// a query whose rows have not started to stream (``PGOutstanding``), and calls these as the
/// pipeline's actions say.
///
/// A class: the handler takes it out of its table before completing a result, whose callbacks
/// may submit requests (and so change the table) before returning.
final class PGOutstandingRequest {
    let request: PGRequest
    /// The result a `query` hands its rows to, taken out of the request once: matching the
    /// request's kind for each delivery (or for writing the statement) would copy the whole kind.
    let queryResult: PGPendingResult?
    /// The open row stream of a `query`, and where its command tag goes.
    private var rowStream: PGStreamBuffer<BackendMessage.DataRow>?
    private var completion: PGQueryCompletion?
    /// The open data stream of a COPY TO STDOUT.
    private var copyStream: PGStreamBuffer<ByteBuffer>?

    init(request: consuming PGRequest) {
        if case .query(let result) = request.kind {
            queryResult = result
        } else {
            queryResult = nil
        }
        self.request = request
    }

    /// Hands a query the first of its rows as a stream, which the rows arriving later are fed
    /// into, reporting its consumer's demand to `delegate`. Returns `false` when the consumer
    /// has enough buffered (stop reading until it asks for more).
    func startStreaming(
        _ columns: PGColumns, _ rows: consuming PGElementQueue<BackendMessage.DataRow>, delegate: PGStreamDelegate
    ) -> Bool {
        guard let result = queryResult else { return true }
        let completion = PGQueryCompletion()
        let stream = PGStreamBuffer<BackendMessage.DataRow>(delegate: delegate, lowWatermark: 256, highWatermark: 2048)
        rowStream = stream
        self.completion = completion
        result.succeed(
            PGRowSequence(
                columns: columns, source: .streaming(PGStreamConsumerToken(stream), completion), observer: request.observer))
        return stream.yield(contentsOf: &rows)
    }

    /// More rows for the stream; `false` when the consumer has enough buffered.
    func stream(_ rows: inout PGElementQueue<BackendMessage.DataRow>) -> Bool {
        rowStream?.yield(contentsOf: &rows) ?? true
    }

    /// The query's rows end; its statement reported `tag`.
    func finishRows(commandTag tag: String?) {
        if let tag { completion?.complete(tag: tag) }
        rowStream?.finish()
    }

    /// The server waits for COPY FROM STDIN data.
    func copyInStarted() {
        if case .copyIn(_, let started, _) = request.kind { started.succeed(()) }
    }

    /// The COPY FROM STDIN was taken.
    func completeCopyIn(commandTag tag: String) {
        if case .copyIn(_, _, let finished) = request.kind { finished.succeed(PGCommandResult(commandTag: tag)) }
    }

    /// The COPY TO STDOUT starts: its caller gets the stream its data is fed into.
    func startCopyOut(delegate: PGStreamDelegate) {
        guard case .copyOut(_, let result) = request.kind else { return }
        let stream = PGStreamBuffer<ByteBuffer>(delegate: delegate, lowWatermark: 16, highWatermark: 256)
        copyStream = stream
        result.succeed(PGCopyOutSequence(token: PGStreamConsumerToken(stream)))
    }

    /// More COPY TO STDOUT data; `false` when the consumer has enough buffered.
    func streamCopyData(_ chunks: inout PGElementQueue<ByteBuffer>) -> Bool {
        copyStream?.yield(contentsOf: &chunks) ?? true
    }

    /// The COPY TO STDOUT data ended.
    func finishCopyOut() {
        copyStream?.finish()
    }

    /// An explicitly prepared statement was described.
    func completePrepare(_ columns: PGColumns) {
        if case .prepare(_, let result) = request.kind { result.succeed(columns) }
    }

    /// Ends whatever the caller is still waiting on with `error`.
    func settle(with error: PGError) {
        rowStream?.finish(error)
        copyStream?.finish(error)
        request.fail(error)
    }
}
