import NIOCore
import PGWire

extension PGChannelHandler {
    /// The statement was parsed: a named statement now exists on the server.
    func parseCompleted(_ statement: Int) {
        headParsed.insert(statement)
    }

    /// The server described the result's columns (RowDescription, or NoData as no columns).
    func described(_ statement: Int, columns: PGColumns) {
        guard let head = inFlight.first else { return }
        if statement < head.statements.count, let key = head.statements[statement].key {
            statementCache.describe(key, columns: columns)
        }
        if statement == 0 { head.firstColumns = columns }
        beginResult(columns)
    }

    /// A result starts. For a `query`, the caller gets its rows at the end of this read: all of
    /// them at once when the statement finishes within the read (no stream is made), else a
    /// stream that the rest are fed into.
    private func beginResult(_ columns: PGColumns) {
        guard let head = inFlight.first else { return }
        begin(columns, of: head)
    }

    private func begin(_ columns: PGColumns, of head: PGInFlightRequest) {
        head.columns = columns
        if case .query = head.request.kind, !head.promiseSettled {
            head.deliveryPending = true
        }
    }

    /// Hands a `query` its rows: complete when the statement has ended (`tag` given), else as a
    /// stream that the rows arriving later are fed into.
    private func deliver(_ head: PGInFlightRequest, finishedWith tag: String??) {
        guard head.deliveryPending, case .query(_, let promise) = head.request.kind, let context else { return }
        head.deliveryPending = false
        head.promiseSettled = true
        let columns = head.columns ?? PGColumns.none
        if let tag {
            // The rows go to the caller; a fresh array takes the next ones (keeping the capacity
            // of one that is now shared would allocate a copy of it).
            promise.succeed(PGRowSequence(columns: columns, source: .complete(pendingRows, commandTag: tag)))
            pendingRows = PGElementQueue()
            return
        }
        let completion = PGQueryCompletion()
        let buffer = PGStreamBuffer<PGRow>(
            delegate: PGStreamDelegate(eventLoop: context.eventLoop, handler: NIOLoopBound(self, eventLoop: context.eventLoop), requestID: head.id),
            lowWatermark: 256, highWatermark: 2048)
        head.rowStream = buffer
        head.completion = completion
        promise.succeed(PGRowSequence(columns: columns, source: .streaming(PGStreamConsumerToken(buffer), completion)))
    }

    /// Makes sure a result has begun: with cached columns, no description precedes the rows.
    private func ensureResult(_ statement: Int) {
        guard let head = inFlight.first, head.columns == nil else { return }
        begin(head.undescribedColumns(ofStatement: statement), of: head)
    }

    /// A row of the head request's result: kept for its caller (the head is looked up once,
    /// as every lookup retains and releases it).
    func receiveRow(_ dataRow: BackendMessage.DataRow, statement: Int) {
        guard let head = inFlight.first else { return }
        let columns: PGColumns
        if let current = head.columns {
            columns = current
        } else {
            columns = head.undescribedColumns(ofStatement: statement)
            begin(columns, of: head)
        }
        guard !head.consumerGone else { return }
        if head.collectsRows {
            collectedRows.append(PGRow(dataRow: dataRow, columns: columns))
        } else {
            pendingRows.append(PGRow(dataRow: dataRow, columns: columns))
        }
    }

    /// Hands the rows and COPY data of this read to the head request's caller.
    func flushPendingStreamData() {
        guard let head = inFlight.first else { return }
        deliver(head, finishedWith: head.finishedTag)
        if !pendingRows.isEmpty, let stream = head.rowStream {
            if !stream.yield(contentsOf: &pendingRows) { readingPaused = true }
        }
        if !pendingCopyData.isEmpty, let stream = head.copyStream {
            if !stream.yield(contentsOf: &pendingCopyData) { readingPaused = true }
        }
    }

    /// A statement ended: CommandComplete (with its tag), EmptyQueryResponse or PortalSuspended.
    func finishStatement(_ statement: Int, tag: String?) {
        ensureResult(statement)
        guard let head = inFlight.first else { return }
        if head.deliveryPending {
            // Handed over at ReadyForQuery (or the end of this read, if that comes later), so
            // that the caller sees the transaction status that follows the statement.
            head.finishedTag = .some(tag)
        } else {
            flushPendingStreamData()
        }
        head.commandTag = tag ?? head.commandTag
        if let tag, PGSessionChange.changesSession(commandTag: tag) { shared.sessionChanged.store(true, ordering: .releasing) }
        switch head.request.kind {
        case .query:
            // The stream ends at ReadyForQuery, so that a caller who finishes reading sees the
            // transaction status (and, outside a transaction, the commit) that follows.
            if let tag { head.completion?.complete(tag: tag) }
        case .simple, .batch:
            // The array goes to the result; a fresh one takes the next statement's rows.
            headResults.append(.success(PGResultSet(columns: head.columns, rows: collectedRows, commandTag: tag)))
            collectedRows = []
            if tag == "DISCARD ALL" || tag == "DEALLOCATE ALL" {
                // The server dropped every prepared statement; so must the cache.
                statementCache.removeAll()
            }
        case .copyOut:
            head.copyStream?.finish()
            head.copyStream = nil
        case .copyIn, .copyInput, .closeStatement, .prepare:
            break
        }
        if !head.deliveryPending { head.columns = nil }
    }

    func failStatement(_ statement: Int, _ response: BackendMessage.ErrorResponse) {
        if let head = inFlight.first, !head.deliveryPending {
            flushPendingStreamData()
        }
        pendingRows.removeAll()
        collectedRows.removeAll()
        guard let head = inFlight.first else { return }
        let error = PGError.server(response.fields, query: head.request.sql)
        head.error = head.error ?? error
        if statement < head.statements.count {
            forgetStatementIfInvalid(head.statements[statement], index: statement, error: error)
        }
        switch head.request.kind {
        case .query:
            if isStalePlan(error), !head.promiseSettled, head.statements.isCacheManaged {
                head.retryWhenIdle = true  // nothing ran; decided at ReadyForQuery
            } else {
                // Failed at ReadyForQuery, as a result is delivered there, so that the caller
                // sees the transaction status that follows the failure (failed, or rolled back).
                head.deliveryPending = false
            }
        case .batch:
            headResults.append(.failure(error))
        case .copyOut:
            head.settle(with: error)
        case .simple, .copyIn, .copyInput, .closeStatement, .prepare:
            break  // reported at ReadyForQuery
        }
        head.columns = nil
    }

    /// Drops cache entries the error shows to be wrong: a failed Parse, a stale plan, or
    /// statements the server no longer has.
    private func forgetStatementIfInvalid(_ statement: PGInFlightRequest.Statement, index: Int, error: PGError) {
        guard let key = statement.key else { return }
        if error.sqlState == .invalidSqlStatementName {
            statementCache.removeAll()
        } else if statement.parsesNamed && !headParsed.contains(index) {
            // Removed at ReadyForQuery, with the statements the error made the server skip.
        } else if isStalePlan(error), let name = statementCache.remove(key) {
            submit(PGRequest(id: RequestID(0), kind: .closeStatement(name)))
            if let context { flush(context: context) }
        }
    }

    /// Whether the server refused a cached statement whose plan no longer fits the tables
    /// (`0A000 cached plan must not change result type`) or that it no longer has (`26000`).
    ///
    /// The first is told apart from other `0A000` errors by the server routine that raised it,
    /// never by the message, which is in the server's language (`lc_messages`).
    private func isStalePlan(_ error: PGError) -> Bool {
        (error.sqlState == .featureNotSupported && error.serverFields[.routine] == "RevalidateCachedQuery")
            || error.sqlState == .invalidSqlStatementName
    }

    /// ReadyForQuery: the head request is done.
    func completeHead(_ status: BackendMessage.TransactionStatus) {
        shared.update { $0.transactionStatus = status }
        guard let head = inFlight.popFirst() else { return }
        shared.requestsInFlight.subtract(1, ordering: .releasing)
        if head.deliveryPending {
            deliver(head, finishedWith: head.finishedTag)
        }
        // Statements whose Parse the server skipped after an earlier error do not exist.
        for (index, statement) in head.statements.enumerated() where statement.parsesNamed && !headParsed.contains(index) {
            if let key = statement.key { statementCache.remove(key) }
        }
        // The head's collected results and parse confirmations, taken for this request.
        var results = headResults
        headResults = []
        headParsed.removeAll(keepingCapacity: true)
        switch head.request.kind {
        case .query:
            if head.retryWhenIdle && status == .idle {
                // Nothing of it ran and no transaction is affected: run it again, re-prepared.
                logger.debug("re-preparing a statement whose cached plan went stale")
                submit(head.request)
                if let context { flush(context: context) }
            } else if let error = head.error {
                head.settle(with: error)
            } else if let stream = head.rowStream {
                stream.finish()
            } else if !head.promiseSettled {
                head.settle(with: PGError(.protocolViolation, message: "the statement ended without a result", requestWasSent: true, query: head.request.sql))
            }
        case .simple(_, let promise):
            if let error = head.error {
                promise.fail(error)
            } else {
                promise.succeed(results.compactMap { try? $0.get() })
            }
        case .batch(let statements, let promise):
            let failed = results.count
            while results.count < statements.count {
                results.append(.failure(PGError(
                    .skipped, message: "not run: statement \(failed) of the batch (counting from 1) failed before it",
                    requestWasSent: true, query: statements.sql(at: results.count))))
            }
            promise.succeed(results)
        case .copyIn(_, _, let finished):
            if let error = head.error {
                head.settle(with: error)
            } else {
                finished.succeed(PGCommandResult(commandTag: head.commandTag ?? ""))
            }
        case .copyOut:
            if let error = head.error {
                head.settle(with: error)
            } else if !head.promiseSettled {
                head.settle(with: PGError(.protocolViolation, message: "COPY ended without data", requestWasSent: true, query: head.request.sql))
            }
        case .prepare(_, let promise):
            if let error = head.error {
                promise.fail(error)
            } else {
                // A statement prepared outside the cache is session state the pool must reset.
                shared.sessionChanged.store(true, ordering: .releasing)
                promise.succeed(head.columns ?? PGColumns.none)
            }
        case .copyInput, .closeStatement:
            break
        }
        perform(cancellation.requestEnded(head.id))
        releaseHeldRequests()
    }

    func copyInStarted() {
        guard let head = inFlight.first, case .copyIn(_, let started, _) = head.request.kind else { return }
        head.promiseSettled = true
        started.succeed()
    }

    func copyOutStarted() {
        guard let head = inFlight.first, case .copyOut(_, let promise) = head.request.kind, let context else { return }
        let buffer = PGStreamBuffer<ByteBuffer>(
            delegate: PGStreamDelegate(eventLoop: context.eventLoop, handler: NIOLoopBound(self, eventLoop: context.eventLoop), requestID: head.id),
            lowWatermark: 16, highWatermark: 256)
        head.copyStream = buffer
        head.promiseSettled = true
        promise.succeed(PGCopyOutSequence(token: PGStreamConsumerToken(buffer)))
    }

    // MARK: Consumer demand

    /// The consumer of a stream caught up.
    func consumerWantsMore(_ id: RequestID) {
        resumeReading()
    }

    /// The consumer of a stream went away: drop the rest, and stop the server producing it.
    func consumerTerminated(_ id: RequestID) {
        if let index = inFlight.firstIndex(where: { $0.id == id }),
            inFlight[index].rowStream != nil || inFlight[index].copyStream != nil
        {
            let request = inFlight[index]
            request.consumerGone = true
            request.rowStream = nil
            request.copyStream = nil
            if index == inFlight.startIndex {
                pendingRows.removeAll()
                pendingCopyData.removeAll()
            }
            cancelRequested(id)
        }
        resumeReading()
    }
}
