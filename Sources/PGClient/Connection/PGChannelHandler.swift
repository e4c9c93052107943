import Logging
import NIOTLS
import NIOCore
import NIOSSL
import PGWire

/// The I/O shell around ``ConnectionStateMachine``: it decodes the server's bytes, feeds the
/// machine, and carries out the actions it returns. Everything here runs on the channel's event
/// loop; ``PGConnection`` reaches it by writing ``PGRequest`` values into the channel.
final class PGChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = PGRequest
    typealias OutboundOut = ByteBuffer

    /// A request that was written and awaits its results.
    private struct InFlight {
        let id: RequestID
        let request: PGRequest
        var columns: PGColumns?
        var stream: PGRowSequence.Producer.Source?
        var completion: PGQueryCompletion?
        /// Whether a query's promise has been fulfilled or failed.
        var promiseSettled = false
        /// The consumer stopped iterating; rows are dropped until the request ends.
        var consumerGone = false
        /// The statement ended (CommandComplete, EmptyQueryResponse, PortalSuspended); its
        /// stream ends at ReadyForQuery.
        var statementEnded = false
        /// A simple query's result being received, and those already complete.
        var currentResult: PGResultSet?
        var resultSets: [PGResultSet] = []
        var error: PGError?
    }

    private var machine: ConnectionStateMachine
    private var decoder: BackendMessageDecoder
    private var inFlight = CircularBuffer<InFlight>()
    /// A CancelRequest being delivered for a request; requests written meanwhile are held, so the
    /// cancel cannot hit a statement it was not meant for.
    private var cancellation: (id: RequestID, delivered: Bool)?
    private var heldRequests: [PGRequest] = []
    private var context: ChannelHandlerContext?
    private let tls: PGTLSSetup?
    private let shared: PGConnectionShared
    private let logger: Logger
    private var connectPromise: EventLoopPromise<Void>?
    /// Bytes of requests written since the last flush; one write per flush.
    private var outgoing: ByteBuffer
    /// Rows decoded in this read for the head request, yielded together at the end of the read.
    private var pendingRows: [PGRow] = []
    /// Whether the row consumer asked us to stop reading from the socket.
    private var readingPaused = false
    private var readRequested = false
    private var awaitingSSLResponse = false

    init(
        settings: ConnectionSettings, tls: PGTLSSetup?, shared: PGConnectionShared, logger: Logger,
        connectPromise: EventLoopPromise<Void>, maximumMessageSize: Int = BackendMessageDecoder.defaultMaximumMessageSize
    ) {
        self.machine = ConnectionStateMachine(settings: settings)
        self.decoder = BackendMessageDecoder(maximumMessageSize: maximumMessageSize)
        self.tls = tls
        self.shared = shared
        self.logger = logger
        self.connectPromise = connectPromise
        self.outgoing = ByteBuffer()
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        outgoing = context.channel.allocator.buffer(capacity: 1024)
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
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if awaitingSSLResponse {
            do {
                guard let response = try SSLResponse.decode(from: &bytes) else { return }
                awaitingSSLResponse = false
                let action = machine.sslResponseReceived(response, unencryptedBytesFollowing: bytes.readableBytes > 0 && response == .accepted)
                run(action, context: context)
                guard bytes.readableBytes > 0, !machine.isClosed else { return }
            } catch {
                run(machine.decodingFailed(error), context: context)
                return
            }
        }
        decoder.append(bytes)
        do {
            while let message = try decoder.next() {
                run(machine.messageReceived(message), context: context)
                if machine.isClosed { break }
            }
        } catch {
            run(machine.decodingFailed(error), context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushPendingRows()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let tlsHandler = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
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
        promise?.succeed()
        submit(unwrapOutboundIn(data))
    }

    /// Encodes a request and tells the machine, or holds it while a cancel is being delivered.
    private func submit(_ request: PGRequest) {
        if cancellation != nil {
            heldRequests.append(request)
            return
        }
        let start = outgoing.writerIndex
        do {
            try request.encode(into: &outgoing)
        } catch {
            request.fail(PGError(.encoding, message: "\(error)", requestWasSent: false, query: request.sql))
            return
        }
        let id = request.id
        switch machine.requestSubmitted(id, request.machineRequest) {
        case .writeRequest:
            inFlight.append(InFlight(id: id, request: request))
        case .rejectRequest(_, let failure):
            outgoing.moveWriterIndex(to: start)
            request.fail(PGError(failure, requestWasSent: false, query: request.sql))
        default:
            outgoing.moveWriterIndex(to: start)
            request.fail(PGError(.invalidUsage, message: "the connection cannot take requests now", requestWasSent: false))
        }
    }

    func flush(context: ChannelHandlerContext) {
        guard outgoing.readableBytes > 0 else { return }
        let bytes = outgoing
        outgoing.clear()
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readRequested = true
        } else {
            context.read()
        }
    }

    /// The user asked to close the connection.
    func closeRequested() {
        guard let context else { return }
        run(machine.closeRequested(), context: context)
    }

    // MARK: Cancellation

    /// The caller of request `id` was cancelled: if the request is the only one in flight, ask
    /// the server (on a separate connection, as the protocol requires) to cancel it.
    ///
    /// When other requests were written behind it, the server might be running one of those by
    /// the time the cancel arrives, so the request is left to finish and its rows are dropped.
    func cancelRequested(_ id: RequestID) {
        guard let context, cancellation == nil, inFlight.count == 1, inFlight.first?.id == id,
            let key = machine.backendKeyData, let address = context.channel.remoteAddress
        else { return }
        cancellation = (id, false)
        logger.debug("sending CancelRequest", metadata: ["pg.request": "\(id)"])
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        PGCancelRequest.send(key: key, to: address, on: eventLoop).whenComplete { _ in
            handler.value.cancelDelivered()
        }
    }

    private func cancelDelivered() {
        cancellation?.delivered = true
        releaseHeldRequestsIfSettled()
    }

    /// Writes the held requests once the cancel was delivered and its request has ended.
    private func releaseHeldRequestsIfSettled() {
        guard let cancellation, cancellation.delivered, !inFlight.contains(where: { $0.id == cancellation.id }) else {
            return
        }
        self.cancellation = nil
        let held = heldRequests
        heldRequests.removeAll()
        for request in held { submit(request) }
        if let context { flush(context: context) }
    }

    // MARK: Row consumer demand

    func rowConsumerWantsMore(_ id: RequestID) {
        guard readingPaused else { return }
        readingPaused = false
        if readRequested, let context {
            readRequested = false
            context.read()
        }
    }

    func rowConsumerTerminated(_ id: RequestID) {
        if let index = inFlight.firstIndex(where: { $0.id == id }), inFlight[index].stream != nil {
            inFlight[index].consumerGone = true
            inFlight[index].stream = nil
            // The consumer left before the last row: stop the server producing the rest.
            cancelRequested(id)
        }
        rowConsumerWantsMore(id)
    }

    // MARK: Actions

    private func run(_ action: ConnectionAction, context: ChannelHandlerContext) {
        switch action {
        case .none, .writeRequest, .parseComplete, .parameterDescription, .copyInStarted, .copyOutStarted, .copyData:
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
            connectPromise?.succeed()
            connectPromise = nil
        case .rowDescription(_, _, let description):
            startRows(columns: PGColumns(description))
        case .noData:
            startRows(columns: nil)
        case .dataRow(_, _, let row):
            receiveRow(row)
        case .commandComplete(_, _, let done):
            finishStatement(tag: done.tag)
        case .emptyQuery:
            finishStatement(tag: nil)
        case .portalSuspended:
            finishStatement(tag: nil)
        case .statementFailed(_, _, let error):
            failStatement(error)
        case .requestCompleted(_, let status):
            completeHead(status)
            releaseHeldRequestsIfSettled()
        case .notice(let notice):
            shared.deliver(notice: notice, logger: logger)
        case .notification(let notification):
            shared.deliver(notification: notification)
        case .parameterStatus(let status):
            shared.update { $0.serverParameters[status.name] = status.value }
        case .rejectRequest:
            break  // handled where requests are submitted
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

    // MARK: Results

    private func startRows(columns: PGColumns?) {
        guard var head = inFlight.first, let context else { return }
        switch head.request.kind {
        case .query(_, let promise):
            let columns = columns ?? PGColumns(.init(columns: []))
            let completion = PGQueryCompletion()
            let delegate = PGRowStreamDelegate(
                eventLoop: context.eventLoop, handler: NIOLoopBound(self, eventLoop: context.eventLoop),
                requestID: head.id)
            let made = PGRowSequence.Producer.makeSequence(
                backPressureStrategy: .init(lowWatermark: 256, highWatermark: 2048), finishOnDeinit: false,
                delegate: delegate)
            head.columns = columns
            head.stream = made.source
            head.completion = completion
            head.promiseSettled = true
            promise.succeed(PGRowSequence(columns: columns, producer: made.sequence, completion: completion))
        case .simple:
            head.columns = columns
            head.currentResult = PGResultSet(columns: columns, rows: [], commandTag: nil)
        }
        inFlight[inFlight.startIndex] = head
    }

    private func receiveRow(_ dataRow: BackendMessage.DataRow) {
        guard !inFlight.isEmpty else { return }
        // Changed in place, with no copy of the head alive: a copy shares the simple query's
        // rows array (as does CircularBuffer's subscript, which has no `_modify`), and appending
        // to a shared array copies it per row, quadratic in the result's size.
        let streamed = inFlight.modify(inFlight.startIndex) { head -> PGRow? in
            guard let columns = head.columns else { return nil }
            let row = PGRow(dataRow: dataRow, columns: columns)
            switch head.request.kind {
            case .query:
                return head.consumerGone ? nil : row
            case .simple:
                head.currentResult?.rows.append(row)
                return nil
            }
        }
        if let streamed { pendingRows.append(streamed) }
    }

    private func flushPendingRows() {
        guard !pendingRows.isEmpty, let head = inFlight.first else { return }
        if let stream = head.stream, stream.yield(contentsOf: pendingRows) == .stopProducing {
            readingPaused = true
        }
        pendingRows.removeAll(keepingCapacity: true)
    }

    /// A statement ended: CommandComplete (with its tag), EmptyQueryResponse or PortalSuspended.
    private func finishStatement(tag: String?) {
        flushPendingRows()
        guard inFlight.first != nil else { return }
        if case .query = inFlight[inFlight.startIndex].request.kind, !inFlight[inFlight.startIndex].promiseSettled {
            startRows(columns: nil)  // an empty query string: no description came
        }
        var head = inFlight[inFlight.startIndex]
        switch head.request.kind {
        case .query:
            // The stream ends at ReadyForQuery, not here: only then is the implicit transaction
            // committed and `transactionStatus` current when the caller's loop ends.
            if let tag { head.completion?.complete(tag: tag) }
            head.statementEnded = true
        case .simple:
            var result = head.currentResult ?? PGResultSet(columns: nil, rows: [], commandTag: nil)
            result.commandTag = tag
            head.resultSets.append(result)
            head.currentResult = nil
            head.columns = nil
        }
        inFlight[inFlight.startIndex] = head
    }

    private func failStatement(_ response: BackendMessage.ErrorResponse) {
        flushPendingRows()
        guard !inFlight.isEmpty else { return }
        // Thrown at ReadyForQuery, so that `transactionStatus` is current when the caller sees it.
        inFlight.modify(inFlight.startIndex) { head in
            head.error = PGError.server(response.fields, query: head.request.sql)
        }
    }

    private func completeHead(_ status: BackendMessage.TransactionStatus) {
        shared.update { $0.transactionStatus = status }
        guard var head = inFlight.popFirst() else { return }
        switch head.request.kind {
        case .query:
            if let error = head.error {
                settle(&head, with: error)
            } else if head.statementEnded {
                head.stream?.finish()
                head.stream = nil
            } else {
                settle(&head, with: PGError(.protocolViolation, message: "the statement ended without a result", requestWasSent: true, query: head.request.sql))
            }
        case .simple(_, let promise):
            if let error = head.error {
                promise.fail(error)
            } else {
                promise.succeed(head.resultSets)
            }
        }
    }

    /// Ends a streaming query's promise or stream with `error`, whichever is still open.
    private func settle(_ head: inout InFlight, with error: PGError) {
        if let stream = head.stream {
            stream.finish(error)
            head.stream = nil
        } else if case .query(_, let promise) = head.request.kind, !head.promiseSettled {
            promise.fail(error)
            head.promiseSettled = true
        }
    }

    private func failEverything(_ failure: ConnectionFailure) {
        pendingRows.removeAll()
        shared.update { $0.isClosed = true }
        if let connectPromise {
            self.connectPromise = nil
            connectPromise.fail(PGError(failure, requestWasSent: false))
        }
        for request in heldRequests {
            request.fail(PGError(failure, requestWasSent: false, query: request.sql))
        }
        heldRequests.removeAll()
        cancellation = nil
        while var head = inFlight.popFirst() {
            let error = PGError(failure, requestWasSent: true, query: head.request.sql)
            switch head.request.kind {
            case .query: settle(&head, with: error)
            case .simple(_, let promise): promise.fail(error)
            }
        }
    }
}
