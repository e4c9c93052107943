import NIOCore

/// Every decision about the requests on one connection, as a plain value: events in, actions
/// out.
///
/// It owns the ``ConnectionStateMachine`` (which matches the server's messages to requests),
/// the statement cache, the requests in flight and the progress of the one being answered,
/// the requests held back, and the cancellation of a running statement. Its I/O shell feeds
/// it events — bytes decoded, a request submitted, the socket's writability, a consumer gone,
/// a cancel delivered — and then performs the ``PipelineAction``s it takes with
/// ``nextAction()``, in order. Each request is planned and checked before any of its bytes is
/// written, so nothing is ever written and taken back.
///
/// Requests are held (written later, in order) while a cancel is under way, a COPY FROM STDIN
/// is in progress (anything else would make the server fail the COPY), a large batch is still
/// being written, or the socket has more unsent than the shell allows.
package struct RequestPipeline: Sendable {
    /// The connection's protocol state: startup, and the matching of responses to requests.
    package internal(set) var connection: ConnectionStateMachine
    /// The named statements this connection prepared.
    package internal(set) var statementCache: StatementCache
    /// The types loaded by name, which decide how result columns of user-defined types are read.
    /// Setting it makes cached statements describe their columns again.
    package var typeRegistry = PGTypeRegistry() {
        didSet { statementCache.forgetColumns() }
    }
    /// The cancellation of a running statement, from its first CancelRequest to its end.
    var cancellation: StatementCancellation
    /// Requests written and not yet answered by ReadyForQuery, oldest first.
    var inFlight = CircularBuffer<InFlightRequest>()
    /// What the oldest request in flight has received.
    var progress = HeadProgress()
    /// Requests that may not be written yet, oldest first.
    private var held = CircularBuffer<HeldRequest>()
    /// A batch whose statements the shell is writing, the first one not yet written, and
    /// whether the shell stopped to wait for the socket to drain.
    private var batchWrite: (id: RequestID, writes: StatementWrites, next: Int, paused: Bool)?
    /// COPY FROM STDIN requests in flight.
    var copyInsInFlight = 0
    /// Requests in flight behind the head whose callers were cancelled and let go: their
    /// answers are dropped when they come (see ``Delivery/abandoned``).
    var abandoned = Set<RequestID>()
    /// Requests that were in flight behind another when a CancelRequest was sent for it: the
    /// cancel may reach the server after that statement ended and stop one of these instead,
    /// which then runs again (see ``cancelRequested(_:)``).
    var exposedToCancel = Set<RequestID>()
    /// Whether the socket takes more bytes (it had less unsent than the shell's limit).
    private var socketWritable = true
    /// Whether a consumer asked the shell to stop reading from the socket.
    package internal(set) var isReadingPaused = false
    /// Rows of the head query received in this read, handed over when the read ends.
    var pendingRows = PGElementQueue<BackendMessage.DataRow>()
    /// COPY TO STDOUT chunks received in this read.
    var pendingCopyData = PGElementQueue<ByteBuffer>()
    /// Actions not yet taken by the shell (moved in and out, not copied: an action carries rows
    /// and columns whose references a copy would retain and release).
    @usableFromInline var actions = PGElementQueue<PipelineAction>()

    /// The id of the requests the pipeline makes itself (closing statements); never a caller's.
    package static let internalRequestID = RequestID(UInt64.max)

    /// - Parameters:
    ///   - statementCacheCapacity: the most named statements kept (0: every statement unnamed).
    ///   - cancelTicks: ticks after a first CancelRequest after which a statement that has not
    ///     ended closes the connection.
    package init(settings: ConnectionSettings, statementCacheCapacity: Int, cancelTicks: Int) {
        self.connection = ConnectionStateMachine(settings: settings)
        self.statementCache = StatementCache(capacity: statementCacheCapacity)
        self.cancellation = StatementCancellation(ticksBeforeGivingUp: cancelTicks)
    }

    /// Whether an action waits to be performed: asked before ``nextAction()``, as most events
    /// leave none, and taking none out costs more than this check. Mutating for the reason
    /// ``requestsLeft()`` gives.
    @inlinable
    package mutating func hasActions() -> Bool { !actions.isEmpty }

    /// The next action to perform, oldest first; `nil` when there is none.
    package mutating func nextAction() -> PipelineAction? {
        actions.popFirst()
    }

    mutating func emit(_ action: PipelineAction) {
        actions.append(action)
    }

    /// The number of requests written and not yet answered.
    package var requestsInFlight: Int { inFlight.count }

    /// The number of requests held back.
    package var requestsHeld: Int { held.count }

    /// The requests in flight or held back, for the shell after every event.
    ///
    /// Mutating, though it changes nothing: the shell keeps the pipeline in a stored property
    /// of a class, and a nonmutating member of this module called there copies the whole
    /// value first (hundreds of bytes, with a retain and a release of each of its references);
    /// a mutating one is handed the property's address.
    package mutating func requestsLeft() -> Int {
        inFlight.count + held.count
    }

    /// Whether new requests must wait (see the type's description).
    var isHoldingRequests: Bool {
        cancellation.isActive || batchWrite != nil || !socketWritable || copyInsInFlight > 0
    }

    // MARK: Connection events

    /// The socket is connected.
    package mutating func socketConnected() { handle(connection.socketConnected()) }

    /// The server answered the SSLRequest.
    package mutating func sslResponseReceived(_ response: SSLResponse, unencryptedBytesFollowing: Bool) {
        handle(connection.sslResponseReceived(response, unencryptedBytesFollowing: unencryptedBytesFollowing))
    }

    /// The TLS handshake finished.
    package mutating func tlsHandshakeCompleted(serverCertificateDER: [UInt8]?) {
        handle(connection.tlsHandshakeCompleted(serverCertificateDER: serverCertificateDER))
    }

    /// The incoming bytes are not a valid message.
    package mutating func decodingFailed(_ error: PGWireError) { handle(connection.decodingFailed(error)) }

    /// The socket closed.
    package mutating func connectionClosed() { handle(connection.connectionClosed()) }

    /// The client asked to close the connection.
    package mutating func closeRequested() { handle(connection.closeRequested()) }

    // MARK: Requests

    /// A caller asks for `request`: it is written now (``PipelineAction/write(_:_:)``), held
    /// until nothing holds it, or refused (``PipelineAction/fail(_:_:)``).
    package mutating func submit(_ id: RequestID, _ request: consuming PipelineRequest) {
        enqueue(.caller(id, request))
    }

    /// Closes a statement the cache let go (a stale plan), with a Sync of its own.
    mutating func closeStatement(_ name: String) {
        enqueue(.closeStatement(name))
    }

    /// Writes a request now, or keeps it, in its turn, until nothing holds it.
    private mutating func enqueue(_ request: consuming HeldRequest) {
        if isHoldingRequests || !held.isEmpty {
            held.append(consume request)
        } else {
            write(consume request)
        }
    }

    /// Takes a caller's request out of the held ones; `false` when it is not held.
    mutating func removeHeld(_ id: RequestID) -> Bool {
        guard let index = held.firstIndex(where: { if case .caller(id, _) = $0 { true } else { false } }) else {
            return false
        }
        held.remove(at: index)
        return true
    }

    /// Writes a query again whose cached plan was stale: ahead of any held request, as it was
    /// submitted before them.
    mutating func retry(_ id: RequestID, _ request: PipelineRequest) {
        if isHoldingRequests {
            held.prepend(.caller(id, request))
        } else {
            write(.caller(id, request))
        }
    }

    private mutating func write(_ request: consuming HeldRequest) {
        switch consume request {
        case .caller(let id, let request):
            write(id, request)
        case .closeStatement(let name):
            let planned = PlannedRequest(
                protocolRequest: .extended(.close), kind: .closeStatement, statements: PlannedStatements(),
                write: .closeStatement(name))
            write(Self.internalRequestID, planned, request: nil)
        }
    }

    /// Plans the request, tells the protocol machine, and asks the shell to write it.
    private mutating func write(_ id: RequestID, _ request: consuming PipelineRequest) {
        let planned: PlannedRequest
        do {
            planned = try plan(request)
        } catch {
            emit(.fail(id, .invalid(error)))
            emit(.requestEnded(id))
            return
        }
        write(id, planned, request: consume request)
    }

    private mutating func write(_ id: RequestID, _ planned: PlannedRequest, request: consuming PipelineRequest?) {
        switch connection.requestSubmitted(id, planned.protocolRequest) {
        case .writeRequest:
            inFlight.append(
                InFlightRequest(id: id, kind: planned.kind, request: consume request, statements: planned.statements))
            if planned.kind == .copyIn { copyInsInFlight += 1 }
            if case .batch(let writes, _) = planned.write { batchWrite = (id, writes, 0, false) }
            emit(.write(id, planned.write))
        case let action:
            var failure = ConnectionFailure.notReady
            if case .rejectRequest(_, let refusal) = action { failure = refusal }
            forgetUnsent(planned.statements)
            emit(.fail(id, .connection(failure, requestWasSent: false)))
            emit(.requestEnded(id))
        }
    }

    /// The shell wrote a batch's statements up to (not including) `next`; all of them, and the
    /// Sync, when `next` is the batch's size.
    package mutating func batchWritten(upTo next: Int) {
        guard var pending = batchWrite else { return }
        pending.next = next
        if next >= pending.writes.count {
            batchWrite = nil
            releaseHeldRequests()
        } else {
            pending.paused = true
            batchWrite = pending
        }
    }

    /// The socket's writability changed: go on with a batch and the held requests once it takes
    /// more.
    package mutating func writabilityChanged(isWritable: Bool) {
        socketWritable = isWritable
        guard isWritable else { return }
        if var pending = batchWrite {
            // Only once the shell has stopped: it may be in the middle of writing the batch,
            // and the socket's writability changes as it flushes each part.
            guard pending.paused else { return }
            pending.paused = false
            batchWrite = pending
            emit(.write(pending.id, .batch(pending.writes, from: pending.next)))
            return
        }
        releaseHeldRequests()
    }

    /// Writes the held requests, in order, until one holds the rest again.
    mutating func releaseHeldRequests() {
        while !isHoldingRequests, let next = held.popFirst() {
            write(next)
        }
    }

    // MARK: Failure

    /// The connection is gone: every request fails, the held ones as not sent.
    mutating func failEverything(_ failure: ConnectionFailure, terminate: Bool, alreadyClosing: Bool = false) {
        if !alreadyClosing { emit(terminate ? .terminateAndClose : .close(failure)) }
        var headHasItsResult = progress.delivery.callerWasTold
        pendingRows.removeAll()
        pendingCopyData.removeAll()
        progress = HeadProgress()
        batchWrite = nil
        copyInsInFlight = 0
        if cancellation.isActive { emit(.stopCancelTicks) }
        cancellation.connectionClosed()
        exposedToCancel.removeAll()
        while let request = held.popFirst() {
            guard case .caller(let id, _) = request else { continue }
            emit(.fail(id, .connection(failure, requestWasSent: false)))
            emit(.requestEnded(id))
        }
        while let request = inFlight.popFirst() {
            // A caller that has its whole result keeps it: only the ReadyForQuery was missing.
            // One that was let go was told already.
            if !headHasItsResult && abandoned.remove(request.id) == nil {
                emit(.fail(request.id, .connection(failure, requestWasSent: true)))
            }
            headHasItsResult = false
            emit(.requestEnded(request.id))
        }
        abandoned.removeAll()
    }
}

/// A request waiting to be written.
enum HeldRequest: Sendable {
    case caller(RequestID, PipelineRequest)
    /// A Close of a statement the cache let go.
    case closeStatement(String)
}
