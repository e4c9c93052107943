import Logging
import NIOCore
import NIOSSL
import NIOTLS
import PGWire

/// The I/O shell around ``ConnectionStateMachine``: it decodes the server's bytes, feeds the
/// machine, and carries out the actions it returns. Everything here runs on the channel's event
/// loop; ``PGConnection`` reaches it by writing ``PGRequest`` values into the channel.
///
/// The state read and written for every message is marked `@exclusivity(unchecked)`: only this
/// event loop touches it, and the run-time exclusivity checks cost a tenth of the time spent
/// per row.
final class PGChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = PGRequest
    typealias OutboundOut = ByteBuffer

    @exclusivity(unchecked) var machine: ConnectionStateMachine
    @exclusivity(unchecked) private var decoder: BackendMessageDecoder
    /// Requests written and not yet answered by ReadyForQuery, oldest first (as the machine's).
    @exclusivity(unchecked) var inFlight = CircularBuffer<PGInFlightRequest>()
    /// Requests that may not be written yet: a cancel is being delivered, or a COPY FROM STDIN
    /// is in progress (anything else arriving then would make the server fail the COPY).
    var heldRequests: [PGRequest] = []
    /// The cancellation of a running statement, from the first CancelRequest until the
    /// statement is seen to end (or the connection is given up).
    var cancellation = StatementCancellation(ticksBeforeGivingUp: PGChannelHandler.cancelTicks)
    /// Ticks ``cancellation`` while it is active.
    var cancelTicker: RepeatedTask?
    /// The time between two ticks of ``cancellation``.
    let cancelTickInterval: TimeAmount
    @exclusivity(unchecked) var statementCache: PGStatementCache
    var context: ChannelHandlerContext?
    private let tls: PGTLSSetup?
    let shared: PGConnectionShared
    let logger: Logger
    /// Succeeds with the handler itself, which the connection keeps to submit requests without
    /// going through the channel pipeline when it is already on the event loop.
    var connectPromise: EventLoopPromise<NIOLoopBound<PGChannelHandler>>?
    /// Bytes of requests written since the last flush; one write per flush.
    @exclusivity(unchecked) var outgoing: ByteBuffer
    /// Rows of the head `query` decoded in this read (streamed) or in its whole result.
    @exclusivity(unchecked) var pendingRows = PGElementQueue<PGRow>()
    /// Rows of the head request's statement whose result is collected (simple query, batch).
    @exclusivity(unchecked) var collectedRows: [PGRow] = []
    /// The collected results of the head request (simple query or batch), one per statement.
    /// Kept here, not in the request's entry, so that appending never copies the list.
    @exclusivity(unchecked) var headResults: [Result<PGResultSet, PGError>] = []
    /// The statements of the head request whose Parse the server confirmed.
    @exclusivity(unchecked) var headParsed = Set<Int>()
    /// COPY TO STDOUT chunks decoded in this read.
    var pendingCopyData = PGElementQueue<ByteBuffer>()
    /// A batch the machine knows of that is not all written yet.
    var pendingBatchWrite: PendingBatchWrite?
    /// Whether a flush of `outgoing` is queued for the end of this event-loop turn.
    var flushScheduled = false
    /// Whether a consumer asked us to stop reading from the socket.
    var readingPaused = false
    private var readRequested = false
    private var awaitingSSLResponse = false

    init(
        settings: ConnectionSettings, tls: PGTLSSetup?, shared: PGConnectionShared, logger: Logger,
        connectPromise: EventLoopPromise<NIOLoopBound<PGChannelHandler>>,
        statementCacheCapacity: Int,
        cancelTimeout: Duration = .seconds(5),
        maximumMessageSize: Int = BackendMessageDecoder.defaultMaximumMessageSize
    ) {
        self.cancelTickInterval = .nanoseconds(cancelTimeout.nanoseconds / Int64(Self.cancelTicks))
        self.machine = ConnectionStateMachine(settings: settings)
        self.decoder = BackendMessageDecoder(maximumMessageSize: maximumMessageSize)
        self.statementCache = PGStatementCache(capacity: statementCacheCapacity)
        self.tls = tls
        self.shared = shared
        self.logger = logger
        self.connectPromise = connectPromise
        self.outgoing = ByteBuffer()
    }

    /// Whether new requests must wait: a cancel is being delivered, a COPY FROM STDIN is in
    /// progress, a large batch is still being written, or the socket has more unsent than the
    /// limit (they are written once it drains).
    var isHoldingRequests: Bool {
        cancellation.isActive || pendingBatchWrite != nil || !(context?.channel.isWritable ?? true)
            || inFlight.contains { $0.isCopyIn }
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        outgoing = context.channel.allocator.buffer(capacity: 4096)
        if context.channel.isActive { run(machine.socketConnected(), context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        run(machine.socketConnected(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        run(machine.connectionClosed(), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("channel error", metadata: ["error": "\(error)"])
        if let connectPromise {
            self.connectPromise = nil
            let kind: PGError.Kind = error is NIOSSLError || error is BoringSSLError ? .tls : .connectionFailed
            connectPromise.fail(PGError(kind, message: "\(error)", requestWasSent: false))
        }
        run(machine.connectionClosed(), context: context)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if awaitingSSLResponse {
            do {
                guard let response = try SSLResponse.decode(from: &bytes) else { return }
                awaitingSSLResponse = false
                let early = bytes.readableBytes > 0 && response == .accepted
                run(machine.sslResponseReceived(response, unencryptedBytesFollowing: early), context: context)
                guard bytes.readableBytes > 0, !machine.isClosed else { return }
            } catch {
                run(machine.decodingFailed(error), context: context)
                return
            }
        }
        decoder.append(bytes)
        do {
            while true {
                // A result's rows skip the machine, to which a DataRow in the middle of rows
                // means nothing but itself (see `rowsExpectation`).
                if let expectation = machine.rowsExpectation, let row = decoder.nextDataRow() {
                    if expectation.isFirstRow { machine.rowsStarted() }
                    receiveRow(row, statement: expectation.statement)
                    continue
                }
                guard let message = try decoder.next() else { break }
                run(machine.messageReceived(message), context: context)
                if machine.isClosed { break }
            }
        } catch {
            run(machine.decodingFailed(error), context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushPendingStreamData()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let tlsHandler = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
            if let expected = tls?.expectedHostName {
                let names = tlsHandler?.peerCertificate.map(PGTLSSetup.dnsNames(of:)) ?? []
                guard PGTLSSetup.certificate(dnsNames: names, matches: expected) else {
                    connectPromise?.fail(PGError(
                        .tls, message: "the server certificate is not for \(expected) (its names: \(names.joined(separator: ", ")))",
                        requestWasSent: false))
                    connectPromise = nil
                    context.close(promise: nil)
                    return
                }
            }
            let certificate = try? tlsHandler?.peerCertificate?.toDERBytes()
            let version = tlsHandler?.tlsVersion.map(Self.name(of:))
            shared.update { $0.tlsVersion = version }
            run(machine.tlsHandshakeCompleted(serverCertificateDER: certificate), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    private static func name(of version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if case .copyInput(let input) = request.kind {
            writeCopyInput(input, promise: promise, context: context)
            return
        }
        promise?.succeed()
        submit(request)
    }

    func flush(context: ChannelHandlerContext) {
        guard outgoing.readableBytes > 0 else {
            context.flush()  // COPY data goes out through context.write directly
            return
        }
        context.writeAndFlush(wrapOutboundOut(outgoing), promise: nil)
        // The socket usually takes the bytes within writeAndFlush, so the buffer is ours alone
        // again and clear() keeps its storage: no new buffer per flush. If the write is still
        // pending, clear() gives it fresh storage, as a new buffer would.
        // A buffer grown by a large batch is not kept.
        if outgoing.capacity > Self.outgoingCapacityKept {
            outgoing = context.channel.allocator.buffer(capacity: 4096)
        } else {
            outgoing.clear()
        }
    }

    /// The largest outgoing buffer kept between flushes.
    private static let outgoingCapacityKept = 1 << 20

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readRequested = true
        } else {
            context.read()
        }
    }

    /// Resumes reading from the socket after a consumer caught up.
    func resumeReading() {
        guard readingPaused else { return }
        readingPaused = false
        if readRequested, let context {
            readRequested = false
            context.read()
        }
    }

    /// The user asked to close the connection.
    func closeRequested() {
        guard let context else { return }
        run(machine.closeRequested(), context: context)
    }

    // MARK: Actions

    func run(_ action: ConnectionAction, context: ChannelHandlerContext) {
        switch action {
        case .none, .writeRequest, .parameterDescription, .rejectRequest:
            break
        case .sendSSLRequest:
            awaitingSSLResponse = true
            send(.sslRequest, context: context)
        case .startTLSHandshake:
            startTLS(context: context)
        case .sendMessage(let message):
            send(message, context: context)
        case .connected:
            shared.update { state in
                state.serverParameters = machine.serverParameters
                state.backendKeyData = machine.backendKeyData
                state.transactionStatus = machine.transactionStatus
                state.authenticationMethod = machine.authenticationMethod
                state.isChannelBound = machine.isChannelBound
                state.usesTLS = machine.usesTLS
            }
            connectPromise?.succeed(NIOLoopBound(self, eventLoop: context.eventLoop))
            connectPromise = nil
        case .parseComplete(_, let statement):
            parseCompleted(statement)
        case .rowDescription(_, let statement, let description):
            described(statement, columns: PGColumns(description))
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
        case .copyInStarted:
            copyInStarted()
        case .copyOutStarted:
            copyOutStarted()
        case .copyData(_, _, let data):
            pendingCopyData.append(data)
        case .requestCompleted(_, let status):
            completeHead(status)
        case .notice(let notice):
            shared.deliver(notice: notice, logger: logger)
        case .notification(let notification):
            shared.deliver(notification: notification)
        case .parameterStatus(let status):
            shared.update { $0.serverParameters[status.name] = status.value }
            shared.sessionChanged.store(true, ordering: .releasing)
        case .failAndClose(let failure, _):
            failEverything(failure)
            context.close(promise: nil)
        case .sendTerminateAndClose:
            failEverything(.closedByClient)
            send(.terminate, context: context)
            context.close(promise: nil)
        }
    }

    private func send(_ message: FrontendMessage, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        do {
            try message.encode(into: &buffer)
        } catch {
            // Only user-given strings (user name, password, parameters) can fail here.
            connectPromise?.fail(PGError(.configuration, message: "\(error)", requestWasSent: false))
            connectPromise = nil
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private func startTLS(context: ChannelHandlerContext) {
        guard let tls else {
            run(machine.connectionClosed(), context: context)
            return
        }
        do {
            let handler = try NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverHostname)
            try context.pipeline.syncOperations.addHandler(handler, position: .before(self))
        } catch {
            connectPromise?.fail(PGError(.tls, message: "\(error)", requestWasSent: false))
            connectPromise = nil
            context.close(promise: nil)
        }
    }

    /// Fails every request, the pending connect and the held requests: the connection is gone.
    private func failEverything(_ failure: ConnectionFailure) {
        pendingRows.removeAll()
        collectedRows.removeAll()
        pendingBatchWrite = nil
        pendingCopyData.removeAll()
        headResults.removeAll()
        headParsed.removeAll()
        shared.update { $0.isClosed = true }
        shared.finishListeners()
        if let connectPromise {
            self.connectPromise = nil
            connectPromise.fail(PGError(failure, requestWasSent: false))
        }
        let held = heldRequests
        heldRequests.removeAll()
        cancellation.connectionClosed()
        cancelTicker?.cancel()
        cancelTicker = nil
        for request in held {
            request.fail(PGError(failure, requestWasSent: false, query: request.sql))
        }
        while let head = inFlight.popFirst() {
            head.settle(with: PGError(failure, requestWasSent: true, query: head.request.sql))
        }
    }
}
