import NIOCore
import PGWire

extension PGChannelHandler {
    /// Performs one action of the pipeline.
    func perform(_ action: PipelineAction) {
        switch action {
        case .connection(let action):
            performConnectionAction(action)
        case .write(let id, let write):
            self.write(write, of: id)
        case .deliverRows(let id, let columns, let rows, let tag):
            deliverRows(id, columns, rows, commandTag: tag)
        case .streamRows(let id, var rows):
            if requests[id]?.rowStream?.yield(contentsOf: &rows) == false { pipeline.consumerFellBehind() }
        case .finishRows(let id, let tag):
            if let tag { requests[id]?.completion?.complete(tag: tag) }
            requests[id]?.rowStream?.finish()
        case .completeResults(let id, let results):
            completeResults(id, results)
        case .copyInStarted(let id):
            if case .copyIn(_, let started, _) = requests[id]?.request.kind { started.succeed() }
        case .copyOutStarted(let id):
            startCopyOut(id)
        case .streamCopyData(let id, var chunks):
            if requests[id]?.copyStream?.yield(contentsOf: &chunks) == false { pipeline.consumerFellBehind() }
        case .finishCopyOut(let id):
            requests[id]?.copyStream?.finish()
        case .completeCopyIn(let id, let tag):
            if case .copyIn(_, _, let finished) = requests[id]?.request.kind {
                finished.succeed(PGCommandResult(commandTag: tag))
            }
        case .completePrepare(let id, let columns):
            if case .prepare(_, let promise) = requests[id]?.request.kind { promise.succeed(columns) }
        case .fail(let id, let failure):
            if let request = requests[id] { request.settle(with: error(failure, of: request.request)) }
        case .ready(let status, let requestsLeft):
            shared.update { $0.transactionStatus = status }
            shared.requestsInFlight.store(requestsLeft, ordering: .releasing)
        case .requestEnded(let id):
            requests[id] = nil
        case .sessionChanged:
            shared.sessionChanged.store(true, ordering: .releasing)
        case .sendCancel:
            sendCancel()
        case .stopCancelTicks:
            cancelTicker?.cancel()
            cancelTicker = nil
        case .resumeReading:
            resumeReading()
        case .close(let failure):
            closeConnection(failure)
            context?.close(promise: nil)
        case .terminateAndClose:
            closeConnection(.closedByClient)
            if let context { send(.terminate, context: context) }
            context?.close(promise: nil)
        }
    }

    /// Hands a query its rows: complete when the statement has ended (`tag` given), else as a
    /// stream that the rows arriving later are fed into.
    private func deliverRows(
        _ id: RequestID, _ columns: PGColumns, _ rows: PGElementQueue<BackendMessage.DataRow>, commandTag tag: String??
    ) {
        guard case .query(_, let promise) = requests[id]?.request.kind, let context else { return }
        if let tag {
            promise.succeed(PGRowSequence(columns: columns, source: .complete(rows, commandTag: tag)))
            return
        }
        let completion = PGQueryCompletion()
        let stream = PGStreamBuffer<BackendMessage.DataRow>(
            delegate: PGStreamDelegate(handler: NIOLoopBound(self, eventLoop: context.eventLoop), requestID: id),
            lowWatermark: 256, highWatermark: 2048)
        requests[id]?.rowStream = stream
        requests[id]?.completion = completion
        promise.succeed(PGRowSequence(columns: columns, source: .streaming(PGStreamConsumerToken(stream), completion)))
        var rows = rows
        if !stream.yield(contentsOf: &rows) { pipeline.consumerFellBehind() }
    }

    private func startCopyOut(_ id: RequestID) {
        guard case .copyOut(_, let promise) = requests[id]?.request.kind, let context else { return }
        let stream = PGStreamBuffer<ByteBuffer>(
            delegate: PGStreamDelegate(handler: NIOLoopBound(self, eventLoop: context.eventLoop), requestID: id),
            lowWatermark: 16, highWatermark: 256)
        requests[id]?.copyStream = stream
        promise.succeed(PGCopyOutSequence(token: PGStreamConsumerToken(stream)))
    }

    /// A simple query's or batch's results, one per statement.
    private func completeResults(_ id: RequestID, _ results: [StatementResult]) {
        guard let request = requests[id]?.request else { return }
        switch request.kind {
        case .simple(_, let promise):
            promise.succeed(results.compactMap { result in
                guard case .rows(let columns, let rows, let tag) = result else { return nil }
                return PGResultSet(columns: columns, rows: Self.rows(rows, columns), commandTag: tag)
            })
        case .batch(let statements, let promise):
            promise.succeed(results.enumerated().map { index, result in
                switch result {
                case .rows(let columns, let rows, let tag):
                    return .success(PGResultSet(columns: columns, rows: Self.rows(rows, columns), commandTag: tag))
                case .failed(let response):
                    return .failure(PGError.server(response.fields, query: statements.sql(at: index)))
                case .skipped(let failed):
                    return .failure(PGError(
                        .skipped, message: "not run: statement \(failed + 1) of the batch (counting from 1) failed before it",
                        requestWasSent: true, query: statements.sql(at: index)))
                }
            })
        default:
            break
        }
    }

    private static func rows(_ rows: [BackendMessage.DataRow], _ columns: PGColumns?) -> [PGRow] {
        let columns = columns ?? PGColumns.none
        return rows.map { PGRow(dataRow: $0, columns: columns) }
    }

    /// The error a request fails with.
    private func error(_ failure: RequestFailure, of request: PGRequest) -> PGError {
        switch failure {
        case .server(let response):
            return PGError.server(response.fields, query: request.sql)
        case .connection(let failure, let wasSent):
            return PGError(failure, requestWasSent: wasSent, query: request.sql)
        case .invalid(let error):
            return PGError(.encoding, message: "\(error)", requestWasSent: false, query: request.sql)
        case .noResult:
            return PGError(.protocolViolation, message: "the statement ended without a result", requestWasSent: true, query: request.sql)
        case .noCopyData:
            return PGError(.protocolViolation, message: "COPY ended without data", requestWasSent: true, query: request.sql)
        case .cancelNotConfirmed:
            let timeout = cancelTickInterval * Int64(Self.cancelTicks)
            return PGError(
                .cancelled,
                message: "the task was cancelled, and the server did not end the statement within \(timeout); the connection was closed, so the statement's outcome is not known",
                requestWasSent: true, query: request.sql)
        }
    }

    /// The connection is gone: callers find it closed, and a pending connect fails.
    private func closeConnection(_ failure: ConnectionFailure) {
        cancelTicker?.cancel()
        cancelTicker = nil
        shared.update { $0.isClosed = true }
        shared.finishListeners()
        if let connectPromise {
            self.connectPromise = nil
            connectPromise.fail(PGError(failure, requestWasSent: false))
        }
    }
}
