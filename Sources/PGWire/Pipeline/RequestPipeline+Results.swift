extension RequestPipeline {
    /// Carries out what the protocol machine made of an event.
    mutating func handle(_ action: ConnectionAction) {
        switch action {
        case .none, .writeRequest, .parameterDescription, .rejectRequest:
            break
        case .sendSSLRequest, .startTLSHandshake, .sendMessage, .connected, .notification:
            emit(.connection(action))
        case .notice(let notice):
            // Named now: by the time the shell performs it, the request may have ended.
            emit(.notice(notice, during: inFlight.first?.id))
        case .parameterStatus:
            emit(.connection(action))
            emit(.sessionChanged)
        case .parseComplete(_, let statement):
            progress.lastParsed = statement
        case .rowDescription(_, let statement, let description):
            described(statement, columns: PGColumns(description, types: typeRegistry))
        case .noData(_, let statement):
            described(statement, columns: PGColumns.none)
        case .dataRow(_, let statement, let row):
            receiveRow(row, statement: statement)
        case .commandComplete(_, let statement, let done):
            finishStatement(statement, tag: done.tag)
        case .emptyQuery(_, let statement), .portalSuspended(_, let statement):
            finishStatement(statement, tag: nil)
        case .statementFailed(_, let statement, let error):
            failStatement(statement, error)
        case .copyInStarted(let id, _, _):
            emit(.copyInStarted(id))
        case .copyOutStarted(let id, _, _):
            progress.delivery = .copyStreaming
            emit(.copyOutStarted(id))
        case .copyData(_, _, let data):
            if case .copyStreaming = progress.delivery { pendingCopyData.append(data) }
        case .requestCompleted(_, let status):
            completeHead(status)
        case .failAndClose(let failure, _):
            failEverything(failure, terminate: false)
        case .sendTerminateAndClose:
            failEverything(.closedByClient, terminate: true)
        }
    }

    /// The server described the result's columns (RowDescription, or NoData as no columns).
    private mutating func described(_ statement: Int, columns: PGColumns) {
        guard let head = inFlight.first else { return }
        if let name = head.statements.cachedName(at: statement) {
            statementCache.describe(name: name, columns: columns)
        }
        if statement == 0 { progress.firstColumns = columns }
        if head.kind == .prepare {
            progress.columns = columns
            return
        }
        begin(columns, of: head)
    }

    /// A result starts: a query's rows gather until the end of the read.
    mutating func begin(_ columns: PGColumns, of head: InFlightRequest) {
        progress.columns = columns
        if head.kind == .query, case .waiting = progress.delivery {
            progress.delivery = .gathering(columns)
        }
    }

    /// A statement ended: CommandComplete (with its tag), EmptyQueryResponse or PortalSuspended.
    private mutating func finishStatement(_ statement: Int, tag: String?) {
        guard let head = inFlight.first else { return }
        if progress.columns == nil {
            begin(head.statements.undescribedColumns(at: statement, firstColumns: progress.firstColumns), of: head)
        }
        progress.commandTag = tag ?? progress.commandTag
        if let tag, SessionChange.changesSession(commandTag: tag) { emit(.sessionChanged) }
        switch head.kind {
        case .query:
            switch progress.delivery {
            case .gathering(let columns):
                // Handed over at ReadyForQuery (or the end of this read, if that comes later),
                // so that the caller sees the transaction status that follows the statement.
                progress.delivery = .gathered(columns, commandTag: tag)
            case .streaming:
                flushRows(of: head)
                progress.delivery = .streamEnded(commandTag: tag)
            default:
                break
            }
        case .simple, .batch:
            // The rows go to the result; an empty queue takes the next statement's rows.
            var rows = PGElementQueue<BackendMessage.DataRow>()
            swap(&rows, &progress.collectedRows)
            if progress.results.isEmpty, case .batch(let count) = head.kind { progress.results.reserveCapacity(count) }
            // The columns are taken, not copied: they are cleared after the statement anyway.
            progress.results.append(.rows(progress.columns.take(), rows, commandTag: tag))
            // The first byte first: a batch's statements end here one by one.
            if let tag, tag.utf8.first == UInt8(ascii: "D"), tag == "DISCARD ALL" || tag == "DEALLOCATE ALL" {
                // The server dropped every prepared statement; so must the cache.
                statementCache.removeAll()
            }
        case .copyOut:
            flushCopyData(of: head)
            emit(.finishCopyOut(head.id))
            progress.delivery = .handedOver
        case .copyIn, .closeStatement, .prepare:
            break
        }
        if head.kind != .prepare { progress.columns = nil }
    }

    private mutating func failStatement(_ statement: Int, _ error: BackendMessage.ErrorResponse) {
        guard let head = inFlight.first else { return }
        if case .streaming = progress.delivery { flushRows(of: head) }
        pendingRows.removeAll()
        progress.collectedRows.removeAll()
        progress.error = progress.error ?? error
        if let planned = head.statements[statement] {
            forgetStatementIfInvalid(planned, index: statement, error: error)
        }
        switch head.kind {
        case .query:
            if Self.isStalePlan(error), case .waiting = progress.delivery, head.statements.isCacheManaged {
                progress.delivery = .retryWhenIdle  // nothing ran; decided at ReadyForQuery
            } else if wasStoppedByAnotherCancel(head, error) {
                progress.delivery = .retryWhenIdle  // rolled back unless in a transaction; decided at ReadyForQuery
            } else if case .consumerGone = progress.delivery {
                // Nobody reads the stream any more.
            } else if case .abandoned = progress.delivery {
                // Its caller was let go.
            } else {
                // Failed at ReadyForQuery, so that the caller sees the transaction status that
                // follows the failure (failed, or rolled back).
                progress.delivery = .failed
            }
        case .batch:
            progress.results.append(.failed(error))
        case .copyOut:
            if case .copyStreaming = progress.delivery { pendingCopyData.removeAll() }
            progress.delivery = .copyFailed
            emit(.fail(head.id, .server(error)))
        case .simple, .copyIn, .closeStatement, .prepare:
            break  // reported at ReadyForQuery
        }
        progress.columns = nil
    }

    /// Drops cache entries the error shows to be wrong: a failed Parse, a stale plan, or
    /// statements the server no longer has.
    private mutating func forgetStatementIfInvalid(_ statement: PlannedStatement, index: Int, error: BackendMessage.ErrorResponse) {
        guard let name = statement.cachedName else { return }
        if error.fields[.sqlState] == Self.invalidStatementName {
            statementCache.removeAll()
        } else if statement.parsesNamed && !progress.wasParsed(index) {
            // Removed at ReadyForQuery, with the statements the error made the server skip.
        } else if Self.isStalePlan(error), statementCache.remove(name: name) {
            closeStatement(name)
        }
    }

    /// `26000 invalid_sql_statement_name`.
    private static let invalidStatementName = "26000"

    /// Whether the server refused a cached statement whose plan no longer fits the tables
    /// (`0A000 cached plan must not change result type`) or that it no longer has (`26000`).
    ///
    /// The first is told apart from other `0A000` errors by the server routine that raised it,
    /// never by the message, which is in the server's language (`lc_messages`).
    /// Whether `head` failed with `query_canceled` while a cancel meant for the statement before
    /// it may have reached it, with nothing of its result handed over.
    private func wasStoppedByAnotherCancel(_ head: InFlightRequest, _ error: BackendMessage.ErrorResponse) -> Bool {
        guard !exposedToCancel.isEmpty, error.fields[.sqlState] == "57014", exposedToCancel.contains(head.id),
            head.canRunAgain
        else { return false }
        switch progress.delivery {
        case .waiting, .gathering: return true
        default: return false
        }
    }

    static func isStalePlan(_ error: BackendMessage.ErrorResponse) -> Bool {
        let state = error.fields[.sqlState]
        return (state == "0A000" && error.fields[.routine] == "RevalidateCachedQuery") || state == invalidStatementName
    }

    /// ReadyForQuery: the head request is done.
    private mutating func completeHead(_ status: BackendMessage.TransactionStatus) {
        guard let head = inFlight.popFirst() else { return }
        if !exposedToCancel.isEmpty { exposedToCancel.remove(head.id) }
        emit(.ready(status, requestsLeft: requestsLeft()))
        var progress = HeadProgress()
        swap(&progress, &self.progress)
        if head.kind == .copyIn { copyInsInFlight -= 1 }
        // Statements whose Parse the server skipped after an earlier error do not exist.
        for index in 0..<head.statements.count {
            guard let name = head.statements.parsedName(at: index), !progress.wasParsed(index) else { continue }
            statementCache.remove(name: name)
        }
        var endReported = false
        if case .abandoned = progress.delivery {
            // Its caller was let go, and told, when it was cancelled. A statement it prepared
            // exists all the same: session state the pool must reset.
            if head.kind == .prepare, progress.error == nil { emit(.sessionChanged) }
        } else {
            switch head.kind {
            case .query:
                endReported = completeQuery(head, progress, status: status)
            case .simple:
                if let error = progress.error {
                    emit(.fail(head.id, .server(error)))
                } else {
                    emit(.completeResults(head.id, progress.results))
                }
            case .batch(let count):
                var results = progress.results
                let failed = results.count - 1
                while results.count < count { results.append(.skipped(failedStatement: failed)) }
                emit(.completeResults(head.id, results))
            case .copyIn:
                if let error = progress.error {
                    emit(.fail(head.id, .server(error)))
                } else {
                    emit(.completeCopyIn(head.id, commandTag: progress.commandTag ?? ""))
                }
            case .copyOut:
                switch progress.delivery {
                case .copyFailed, .handedOver: break
                case .copyStreaming: emit(.finishCopyOut(head.id))
                default: emit(.fail(head.id, progress.error.map { .server($0) } ?? .noCopyData))
                }
            case .prepare:
                if let error = progress.error {
                    emit(.fail(head.id, .server(error)))
                } else {
                    // A statement prepared outside the cache is session state the pool must reset.
                    emit(.sessionChanged)
                    emit(.completePrepare(head.id, progress.columns ?? PGColumns.none))
                }
            case .closeStatement:
                break
            }
        }
        if !endReported { emit(.requestEnded(head.id)) }
        // A set hashes the key even when it is empty.
        if !abandoned.isEmpty, let next = inFlight.first, abandoned.remove(next.id) != nil {
            self.progress.delivery = .abandoned
        }
        perform(cancellation.requestEnded(head.id))
        releaseHeldRequests()
    }

    /// Settles a query at its ReadyForQuery. Returns `true` when the request goes on (it was
    /// written again) or its end was reported with its rows (``PipelineAction/completeRows(_:_:_:commandTag:)``),
    /// so that no ``PipelineAction/requestEnded(_:)`` follows.
    private mutating func completeQuery(_ head: InFlightRequest, _ progress: HeadProgress, status: BackendMessage.TransactionStatus) -> Bool {
        switch progress.delivery {
        case .retryWhenIdle where status == .idle:
            // Nothing of it ran, or it was rolled back; no transaction is affected: run it again.
            if let request = head.request {
                retry(head.id, request)
                return true
            }
            emit(.fail(head.id, progress.error.map { .server($0) } ?? .noResult))
        case .retryWhenIdle, .failed:
            emit(.fail(head.id, progress.error.map { .server($0) } ?? .noResult))
        case .gathering(let columns):
            emit(.completeRows(head.id, columns, takePendingRows(), commandTag: nil))
            return true
        case .gathered(let columns, let tag):
            emit(.completeRows(head.id, columns, takePendingRows(), commandTag: tag))
            return true
        case .streaming:
            emit(.finishRows(head.id, commandTag: progress.commandTag))
        case .streamEnded(let tag):
            emit(.finishRows(head.id, commandTag: tag))
        case .handedOver, .consumerGone, .abandoned:
            break
        case .waiting, .copyStreaming, .copyFailed:
            emit(.fail(head.id, progress.error.map { .server($0) } ?? .noResult))
        }
        return false
    }

    /// The rows received in this read, leaving a fresh queue for the next ones.
    mutating func takePendingRows() -> PGElementQueue<BackendMessage.DataRow> {
        var rows = PGElementQueue<BackendMessage.DataRow>()
        swap(&rows, &pendingRows)
        return rows
    }
}
