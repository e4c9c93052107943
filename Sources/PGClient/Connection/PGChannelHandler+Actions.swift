import NIOCore
import PGWire

extension PGChannelHandler {
    /// Performs one action of the pipeline.
    func perform(_ action: consuming PipelineAction) {
        // Consumed, so that its payloads (a statement's rows above all) move on to their
        // caller rather than being copied out of an action that is destroyed right after.
        switch consume action {
        case .connection(let action):
            performConnectionAction(action)
        case .notice(let notice, let request):
            shared.deliver(notice: notice, logger: requestLogger(for: request), level: noticeLogLevel)
        case .write(let id, let write):
            self.write(write, of: id)
        case .deliverRows(let id, let columns, let rows, let tag):
            guard let entry = requests[id] else { break }
            if let tag {
                entry.deliverAll(columns, rows, commandTag: tag)
            } else if startStreaming(entry, id: id, columns, rows) == false {
                pipeline.consumerFellBehind()
            }
        case .completeRows(let id, let columns, let rows, let tag):
            requests.removeValue(forKey: id)?.deliverAll(columns, rows, commandTag: tag)
        case .streamRows(let id, var rows):
            if entry(id)?.stream(&rows) == false { pipeline.consumerFellBehind() }
        case .finishRows(let id, let tag):
            entry(id)?.finishRows(commandTag: tag)
        case .completeResults(let id, let results):
            entry(id)?.request.complete(with: results)
        case .copyInStarted(let id):
            entry(id)?.copyInStarted()
        case .copyOutStarted(let id):
            entry(id)?.startCopyOut(delegate: streamDelegate(for: id))
        case .streamCopyData(let id, var chunks):
            if entry(id)?.streamCopyData(&chunks) == false { pipeline.consumerFellBehind() }
        case .finishCopyOut(let id):
            entry(id)?.finishCopyOut()
        case .completeCopyIn(let id, let tag):
            entry(id)?.completeCopyIn(commandTag: tag)
        case .completePrepare(let id, let columns):
            entry(id)?.completePrepare(columns)
        case .fail(let id, let failure):
            requests[id]?.settle(failure, id: id, cancelTimeout: cancelTimeout)
        case .ready(let status, let requestsLeft):
            shared.transactionStatus = status
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

    /// The caller's side of request `id` (other than a query whose rows have not started to
    /// stream), taken out of the table before anything is done with it (see the table's
    /// declaration).
    private func entry(_ id: RequestID) -> PGOutstandingRequest? {
        requests[id]?.outstandingRequest
    }

    /// Hands query `id` the first of its rows as a stream, keeping the query from now on with
    /// its stream. Returns `false` when the consumer has enough buffered.
    private func startStreaming(
        _ entry: PGOutstanding, id: RequestID, _ columns: PGColumns, _ rows: consuming PGElementQueue<BackendMessage.DataRow>
    ) -> Bool {
        let request: PGOutstandingRequest
        switch entry {
        case .query:
            request = PGOutstandingRequest(request: entry.request(id: id))
            requests[id] = .request(request)
        case .request(let outstanding):
            request = outstanding
        }
        return request.startStreaming(columns, rows, delegate: streamDelegate(for: id))
    }

    /// Reports a stream consumer's demand for request `id` back to this handler.
    private func streamDelegate(for id: RequestID) -> PGStreamDelegate {
        PGStreamDelegate(handler: NIOLoopBound(self, eventLoop: eventLoop), requestID: id)
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
