import NIOCore

extension RequestPipeline {
    /// Takes every whole message from `decoder` and acts on it.
    ///
    /// A result's rows take a short path: while the protocol machine expects a DataRow of the
    /// head request (``ConnectionStateMachine/rowsExpectation``), rows are taken from the decoder
    /// without being decoded into a ``BackendMessage`` or matched against the machine one by one.
    package mutating func consume(_ decoder: inout BackendMessageDecoder) {
        do {
            while true {
                if let expectation = connection.rowsExpectation, let row = decoder.nextDataRow() {
                    if expectation.isFirstRow { connection.rowsStarted() }
                    receiveRow(row, statement: expectation.statement)
                    continue
                }
                guard let message = try decoder.next() else { break }
                handle(connection.messageReceived(message))
                if connection.isClosed { break }
            }
        } catch {
            handle(connection.decodingFailed(error))
        }
    }

    /// A row of the head request's result: kept for its caller.
    mutating func receiveRow(_ row: BackendMessage.DataRow, statement: Int) {
        switch progress.delivery {
        case .gathering, .streaming:
            pendingRows.append(row)
        case .waiting:
            guard let head = inFlight.first else { return }
            if progress.columns == nil {
                // With cached columns, no description precedes the rows.
                begin(head.statements.undescribedColumns(at: statement, firstColumns: progress.firstColumns), of: head)
            }
            if head.collectsRows {
                progress.collectedRows.append(row)
            } else if case .gathering = progress.delivery {
                pendingRows.append(row)
            }
        case .gathered, .streamEnded, .handedOver, .consumerGone, .abandoned, .failed, .retryWhenIdle, .copyStreaming,
            .copyFailed:
            break
        }
    }

    /// The bytes of one read are consumed: hand the rows and COPY data received to the caller.
    package mutating func readComplete() {
        guard let head = inFlight.first else { return }
        switch progress.delivery {
        case .gathering(let columns):
            emit(.deliverRows(head.id, columns, takePendingRows(), commandTag: nil))
            progress.delivery = .streaming
        case .gathered(let columns, let tag):
            emit(.deliverRows(head.id, columns, takePendingRows(), commandTag: .some(tag)))
            progress.delivery = .handedOver
        case .streaming:
            flushRows(of: head)
        case .copyStreaming:
            flushCopyData(of: head)
        default:
            break
        }
    }

    /// Hands the rows received so far to the stream.
    mutating func flushRows(of head: InFlightRequest) {
        guard !pendingRows.isEmpty else { return }
        emit(.streamRows(head.id, takePendingRows()))
    }

    /// Hands the COPY data received so far to the stream.
    mutating func flushCopyData(of head: InFlightRequest) {
        guard !pendingCopyData.isEmpty else { return }
        var chunks = PGElementQueue<ByteBuffer>()
        swap(&chunks, &pendingCopyData)
        emit(.streamCopyData(head.id, chunks))
    }

    // MARK: Consumers

    /// The consumer of a stream has more buffered than it wants: stop reading from the socket
    /// until it asks for more.
    package mutating func consumerFellBehind() {
        isReadingPaused = true
    }

    /// The consumer of request `id`'s stream caught up.
    package mutating func consumerWantsMore(_ id: RequestID) {
        resumeReading()
    }

    /// The consumer of request `id`'s stream went away: drop the rest, and stop the server
    /// producing it.
    package mutating func consumerGone(_ id: RequestID) {
        if let head = inFlight.first, head.id == id {
            switch progress.delivery {
            case .streaming, .copyStreaming:
                progress.delivery = .consumerGone
                pendingRows.removeAll()
                pendingCopyData.removeAll()
                cancelRequested(id)
            default:
                break
            }
        }
        resumeReading()
    }

    private mutating func resumeReading() {
        guard isReadingPaused else { return }
        isReadingPaused = false
        emit(.resumeReading)
    }
}
