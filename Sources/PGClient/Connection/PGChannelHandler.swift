import Logging
import NIOCore
import NIOSSL
import NIOTLS
import PGWire

/// The I/O shell around ``RequestPipeline``: it decodes the server's bytes, feeds the pipeline
/// its events, performs the actions it returns, and keeps what the pipeline cannot — each
/// request's promises and streams, by request id. Everything here runs on the channel's event
/// loop; ``PGConnection`` reaches it by writing ``PGRequest`` values into the channel.
final class PGChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = PGRequest
    typealias OutboundOut = ByteBuffer

    // The pipeline, the decoder, the request table and the outgoing bytes are read and written
    // for every message, and their run-time exclusivity checks cost more than a tenth of a
    // sequential query's client time (Docs/benchmarks.md). No access to them can overlap
    // another: the pipeline and the decoder are changed only by their own pure code (`feed`'s
    // event, `submit`), which calls nothing else; the table only by single subscripts that call
    // no user code (a promise is fulfilled after its entry was taken out); the outgoing bytes
    // only by a read, an assignment, `clear()` or a `swap`, each over before anything else
    // runs. `ReentrancyTests` submits from promise callbacks to keep it so.
    @exclusivity(unchecked) var pipeline: RequestPipeline
    @exclusivity(unchecked) private var decoder: BackendMessageDecoder
    /// The callers' side of every request the pipeline knows of, by id.
    @exclusivity(unchecked) var requests = IDTable<RequestID, PGOutstanding>()
    /// Bytes of requests written since the last flush; one write per flush.
    @exclusivity(unchecked) var outgoing: ByteBuffer
    var context: ChannelHandlerContext?
    /// The channel's event loop, where everything here runs.
    let eventLoop: any EventLoop
    let tls: PGTLSSetup?
    let shared: PGConnectionShared
    let logger: Logger
    /// The level server notices are logged at (``PGConnection/Options/noticeLogLevel``).
    let noticeLogLevel: Logger.Level
    /// Succeeds with the handler itself, which the connection keeps to submit requests without
    /// going through the channel pipeline when it is already on the event loop.
    var connectPromise: EventLoopPromise<NIOLoopBound<PGChannelHandler>>?
    /// Ticks the pipeline's cancellation while one is under way.
    var cancelTicker: RepeatedTask?
    /// The time between two cancel ticks.
    let cancelTickInterval: TimeAmount
    /// Whether actions are being performed (an action's callback that submits a request leaves
    /// its actions to the loop already running).
    @exclusivity(unchecked) private var performing = false
    /// Whether a flush of `outgoing` is queued for the end of this event-loop turn.
    private var flushScheduled = false
    /// The empty queue the next ``submitQueued()`` swaps with the submission queue's, so that
    /// taking the queue allocates nothing once both have grown.
    private var submissionSpare = PGElementQueue<PGRequest>()
    /// Whether the socket should be read once reading resumes.
    private var readRequested = false
    var awaitingSSLResponse = false
    /// The executor of the event loop this handler delivers results through
    /// (``PGEventLoopExecutor/shared(for:)``), so that tasks preferring it resume right after a
    /// read instead of in a later job of the loop; kept alive here. A read uses only its jobs
    /// and its unowned reference: the executor itself is weakly referenced (by the registry of
    /// shared executors), which makes every retain of it take the runtime's slow path.
    private let executor: PGEventLoopExecutor?
    private let delivery: (jobs: PGDeliveredJobs, executor: UnownedTaskExecutor)?
    /// When the loop polls the socket instead of sleeping while a caller on it waits
    /// (``PGConnection/Options/spinBeforeSleeping``).
    var spin: EventLoopSpin

    /// How many ticks of ``cancelTickInterval`` make the cancel timeout.
    static let cancelTicks = 5

    /// ``PGConnection/Options/cancelTimeout``, as the ticks make it up.
    var cancelTimeout: TimeAmount { cancelTickInterval * Int64(Self.cancelTicks) }

    init(
        settings: ConnectionSettings, tls: PGTLSSetup?, shared: PGConnectionShared, logger: Logger,
        connectPromise: EventLoopPromise<NIOLoopBound<PGChannelHandler>>,
        statementCacheCapacity: Int,
        cancelTimeout: Duration = .seconds(5),
        noticeLogLevel: Logger.Level = .debug,
        maximumMessageSize: Int = BackendMessageDecoder.defaultMaximumMessageSize,
        executor: PGEventLoopExecutor? = nil,
        spinBeforeSleeping: Duration = .zero
    ) {
        self.executor = executor
        self.spin = EventLoopSpin(budget: spinBeforeSleeping)
        self.delivery = executor.map { ($0.delivered, $0.asUnownedTaskExecutor()) }
        self.noticeLogLevel = noticeLogLevel
        self.cancelTickInterval = .nanoseconds(cancelTimeout.nanoseconds / Int64(Self.cancelTicks))
        self.pipeline = RequestPipeline(
            settings: settings, statementCacheCapacity: statementCacheCapacity, cancelTicks: Self.cancelTicks)
        self.decoder = BackendMessageDecoder(maximumMessageSize: maximumMessageSize)
        self.tls = tls
        self.shared = shared
        self.logger = logger
        self.connectPromise = connectPromise
        self.eventLoop = connectPromise.futureResult.eventLoop
        self.outgoing = ByteBuffer()
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        outgoing = context.channel.allocator.buffer(capacity: 4096)
        if context.channel.isActive { feed { $0.socketConnected() } }
    }

    func channelActive(context: ChannelHandlerContext) {
        feed { $0.socketConnected() }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        spin.closed()
        feed { $0.connectionClosed() }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("channel error", metadata: ["error": "\(error)"])
        if let connectPromise {
            self.connectPromise = nil
            // NIOSSL reports a certificate whose names do not match as an NIOSSLExtraError.
            let isTLS = error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
            let kind: PGError.Kind = isTLS ? .tls : .connectionFailed
            connectPromise.fail(PGError(kind, message: "\(error)", requestWasSent: false))
        }
        feed { $0.connectionClosed() }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        spin.bytesRead()
        let bytes = unwrapInboundIn(data)
        if let delivery {
            delivery.jobs.delivering(on: delivery.executor) { receive(bytes) }
        } else {
            receive(bytes)
        }
    }

    /// Decodes what the server sent and feeds it to the pipeline.
    private func receive(_ received: ByteBuffer) {
        var bytes = received
        if awaitingSSLResponse {
            do {
                guard let response = try SSLResponse.decode(from: &bytes) else { return }
                awaitingSSLResponse = false
                let early = bytes.readableBytes > 0 && response == .accepted
                feed { $0.sslResponseReceived(response, unencryptedBytesFollowing: early) }
                guard bytes.readableBytes > 0, !pipeline.connection.isClosed else { return }
            } catch {
                feed { $0.decodingFailed(error) }
                return
            }
        }
        decoder.append(bytes)
        feed { $0.consume(&decoder) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Writes the server's messages caused (a Close, a statement run again, requests that
        // waited) go out now.
        if let delivery {
            delivery.jobs.delivering(on: delivery.executor) { feedAndFlush { $0.readComplete() } }
        } else {
            feedAndFlush { $0.readComplete() }
        }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let isWritable = context.channel.isWritable
        feed { $0.writabilityChanged(isWritable: isWritable) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            tlsHandshakeCompleted(context: context)
        }
        context.fireUserInboundEventTriggered(event)
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
        // again and clear() keeps its storage. If the write is still pending, clear() gives it
        // fresh storage, as a new buffer would. A buffer grown by a large batch is not kept.
        if outgoing.capacity > Self.outgoingCapacityKept {
            outgoing = context.channel.allocator.buffer(capacity: 4096)
        } else {
            outgoing.clear()
        }
    }

    /// The largest outgoing buffer kept between flushes.
    private static let outgoingCapacityKept = 1 << 20

    func read(context: ChannelHandlerContext) {
        if pipeline.isReadingPaused {
            readRequested = true
        } else {
            context.read()
        }
    }

    // MARK: Requests

    /// Hands a request to the pipeline, which writes it into `outgoing` or holds it.
    func submit(_ request: consuming PGRequest) {
        guard let planned = request.pipelineRequest else { return }
        let id = request.id
        requests[id] = PGOutstanding(request)
        // Not through `feed`: its closure would capture the request and hand the pipeline a copy.
        pipeline.submit(id, consume planned)
        performActions()
    }

    /// Submits a request from a caller already on the event loop and writes it out: what
    /// `write` and `flush` do for a request that comes through the channel pipeline. With
    /// `spinForAnswer` (the caller waits for the answer on this loop), the loop polls for it
    /// instead of sleeping, as ``spin`` decides.
    ///
    /// A request that joins others in flight is flushed at the end of this turn of the event
    /// loop rather than at once: the server is busy with the earlier ones, and the tasks that
    /// resume in the same turn (their results came in one read) then share one write instead
    /// of a system call each. A request on an idle connection goes out at once.
    func submitAndFlush(_ request: consuming PGRequest, spinForAnswer: Bool = false) {
        let joinsOthers = pipeline.requestsLeft() > 0
        submit(request)
        guard let context else { return }
        if spinForAnswer { startSpinning() }
        if joinsOthers {
            flushAtEndOfTurn(context: context)
        } else {
            flush(context: context)
        }
    }

    /// Submits every request queued by callers off the event loop (``PGSubmissionQueue``) and
    /// writes them with one flush; if the channel has closed meanwhile, fails them unsent.
    func submitQueued() {
        // Moved out, not copied: a copy left here would share the storage the queue is given,
        // and the next caller's append there would copy all of it.
        var queued = PGElementQueue<PGRequest>()
        swap(&queued, &submissionSpare)
        shared.submissions.takeAll(into: &queued)
        if let context, context.channel.isActive {
            while let request = queued.popFirst() { submit(request) }
            flush(context: context)
        } else {
            while let request = queued.popFirst() { request.fail(request.closedError(ChannelError.ioOnClosedChannel)) }
        }
        submissionSpare = queued
    }

    private func flushAtEndOfTurn(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let handler = handler.value
            handler.flushScheduled = false
            if let context = handler.context { handler.flush(context: context) }
        }
    }

    /// The caller of request `id` was cancelled.
    func cancelRequested(_ id: RequestID) {
        feedAndFlush { $0.cancelRequested(id) }
    }

    /// The consumer of a stream caught up.
    func consumerWantsMore(_ id: RequestID) {
        feed { $0.consumerWantsMore(id) }
    }

    /// The consumer of a stream went away.
    func consumerGone(_ id: RequestID) {
        feedAndFlush { $0.consumerGone(id) }
    }

    /// The logger of request `id`'s lines (its notices, its cancellation): its caller's, when it
    /// gave one, else the connection's.
    func requestLogger(for id: RequestID?) -> Logger {
        guard let id, let observer = requests[id]?.observer else { return logger }
        return observer.logger
    }

    /// The user asked to close the connection.
    func closeRequested() {
        feed { $0.closeRequested() }
    }

    // MARK: Feeding the pipeline

    /// Gives the pipeline an event, then performs the actions it decided on, in order.
    ///
    /// The event and the actions are apart: an action's callback may give the pipeline a new
    /// event (a promise's callback submitting a request), which must not happen while the
    /// pipeline is being changed. A nested call leaves its actions to the loop already running,
    /// so that they are performed in the order they were decided.
    func feed(_ event: (inout RequestPipeline) -> Void) {
        event(&pipeline)
        performActions()
    }

    /// Performs the actions the pipeline decided, unless a call further up already does
    /// (see ``feed(_:)``).
    private func performActions() {
        guard !performing else { return }
        performing = true
        defer { performing = false }
        while pipeline.hasActions(), let action = pipeline.nextAction() {
            perform(action)
        }
        shared.requestsInFlight.store(pipeline.requestsLeft(), ordering: .releasing)
    }

    /// ``feed(_:)``, then sends what the actions wrote (a Close, a request released).
    func feedAndFlush(_ event: (inout RequestPipeline) -> Void) {
        feed(event)
        if let context, outgoing.readableBytes > 0 { flush(context: context) }
    }

    /// Reads from the socket again, if a read was asked for while reading was paused.
    func resumeReading() {
        guard readRequested, let context else { return }
        readRequested = false
        context.read()
    }
}
