public import Logging
public import Metrics
import NIOCore
import NIOPosix
public import PGWire
import Synchronization
public import Tracing

/// One session with a PostgreSQL server over SwiftNIO.
///
/// Queries may be issued from many tasks at once: they are written without waiting for earlier
/// results (pipelining) and each result goes back to its own caller, in order.
///
/// ```swift
/// let connection = try await PGConnection.connect(config: PGConfig("postgres://app@db/ledger"))
/// let rows = try await connection.query("SELECT id, name FROM users WHERE org = \(orgID)")
/// for try await row in rows {
///     let (id, name) = try row.decode((UUID, String).self)
/// }
/// try await connection.close()
/// ```
public final class PGConnection: Sendable {
    let channel: any Channel
    /// The channel's handler, for callers already on its event loop (see ``submit(_:_:)``).
    let handler: NIOLoopBound<PGChannelHandler>
    let shared: PGConnectionShared
    /// A number that identifies this connection in logs.
    public let id: Int
    /// The logger, with the connection id in its metadata.
    public let logger: Logger
    /// The longest a request may wait for its result (``Options/requestTimeout``).
    let requestTimeout: Duration?
    /// Where spans, metrics and request log lines go.
    let instrumentation: PGInstrumentation
    /// What stands between the driver and the server (``Options/pooler``).
    let pooler: PGPoolerMode
    /// How a caller off the event loop polls for its result (``Options/callerSpinBeforeSleeping``).
    let callerSpin: CallerSpin

    /// The event loop's job that takes the submission queue, made once: a closure made for each
    /// request would be an allocation per statement.
    private let submitQueuedJob: @Sendable () -> Void

    private static let nextID = Atomic<Int>(1)
    private let nextRequestID = Atomic<UInt64>(1)
    private let nextSavepoint = Atomic<Int>(1)

    func savepointCounter() -> Int { nextSavepoint.wrappingAdd(1, ordering: .relaxed).oldValue }

    init(
        channel: any Channel,
        handler: NIOLoopBound<PGChannelHandler>,
        shared: PGConnectionShared,
        id: Int,
        logger: Logger,
        requestTimeout: Duration? = nil,
        instrumentation: PGInstrumentation,
        pooler: PGPoolerMode = .none,
        callerSpin: CallerSpin
    ) {
        self.channel = channel
        self.handler = handler
        self.shared = shared
        self.id = id
        self.logger = logger
        self.requestTimeout = requestTimeout
        self.instrumentation = instrumentation
        self.pooler = pooler
        self.callerSpin = callerSpin
        self.submitQueuedJob = { handler.value.submitQueued() }
    }

    deinit {
        // A connection dropped without close() must not keep its socket open.
        if channel.isActive { channel.close(promise: nil) }
    }

    /// Per-connection behaviour that is not part of libpq's configuration: the statement cache,
    /// limits and timeouts, and where the connection's telemetry goes.
    ///
    /// ```swift
    /// var options = PGConnection.Options(requestTimeout: .seconds(30))
    /// options.noticeLogLevel = .info   // server notices (RAISE NOTICE, warnings) at info
    /// let connection = try await PGConnection.connect(config: config, options: options)
    /// ```
    public struct Options: Sendable {
        /// How many prepared statements the automatic cache keeps (256 by default). With 0 every
        /// statement is sent as the unnamed statement, as PgBouncer in transaction mode needs.
        public var statementCacheCapacity: Int
        /// The most bytes of requests the connection holds written but not yet taken by the
        /// socket (1 MiB by default, at least 64 KiB). Past it, a large pipeline or batch is
        /// written on as the socket drains, and new requests wait their turn, so that memory
        /// stays bounded however much is sent; results are read meanwhile.
        public var maximumUnsentBytes: Int
        /// How long a cancelled statement may go on before the connection is closed (5 s by
        /// default, at least 50 ms). When the calling task is cancelled, a CancelRequest is sent
        /// and requests made meanwhile wait until the statement is seen to end; as the server
        /// ignores a CancelRequest that reaches it before the statement starts, the cancel is
        /// sent again each fifth of this time. The cancelled caller returns with the statement's
        /// end if the server confirms the cancel, else after the first fifth with
        /// ``PGError/Kind/cancelled`` and the outcome unknown. A statement still running at the
        /// end of the time closes the connection, and the waiting requests fail with
        /// ``PGError/Kind/connectionClosed`` (not sent, safe to retry). A CancelRequest's own
        /// connection has this long too for the server to take it: until then requests made
        /// meanwhile wait, even after the statement ended, since a cancel still on its way
        /// would stop them.
        public var cancelTimeout: Duration
        /// The longest a request waits for its result (`nil`, the default: no limit, as in
        /// libpq). Past it, the request is cancelled as if its task were (see
        /// ``cancelTimeout``) and fails with ``PGError/Kind/timeout``: with the server's `57014`
        /// when the cancel was confirmed, else with the outcome unknown. Bounds a call on a link
        /// that went silent, together with TCP keepalive; for a statement the server should
        /// stop by itself, `statement_timeout` is the server's own limit.
        public var requestTimeout: Duration?
        /// Where the connection's spans go (a span per query, pipeline, batch, COPY, transaction
        /// and connect; see the Observability article). `nil`, the default, takes
        /// `InstrumentationSystem.tracer` when the connection opens; when that is the no-op
        /// tracer, requests do no tracing work at all.
        public var tracer: (any Tracer)?
        /// Where the connection's metrics go (`db.client.operation.duration`). `nil`, the
        /// default, takes `MetricsSystem.factory` when the connection opens; when that is the
        /// no-op factory, requests record nothing and read no clock for it.
        public var metricsFactory: (any MetricsFactory)?
        /// The level at which server notices (`RAISE NOTICE`, warnings such as "there is no
        /// transaction in progress") are logged: `debug` by default. ``PGConnection/onNotice(_:)``
        /// receives each one whatever the level.
        public var noticeLogLevel: Logger.Level
        /// What stands between the driver and PostgreSQL: ``PGPoolerMode/none`` by default;
        /// ``PGPoolerMode/transaction`` behind PgBouncer in transaction mode (unnamed statements
        /// only, no `prepare` or `LISTEN`; see ``PGPoolerMode``).
        public var pooler: PGPoolerMode = .none
        /// How long the connection's event loop polls its socket instead of sleeping while a
        /// task running on that loop waits for a result: 250 µs by default (as long as
        /// ``callerSpinBeforeSleeping``), at most 1 ms (a longer value counts as 1 ms); `.zero`
        /// turns it off.
        ///
        /// It applies only to a caller running on the connection's loop
        /// (`withTaskExecutorPreference(connection.executor)`, or a task preferring one of a
        /// pool's executors that queries a leased connection of that loop; a pool's own
        /// statements never poll): there the loop's wake-up is the wait's only hop, and on an
        /// idle CPU that wake-up can take longer than a local server's whole answer. Polling
        /// spends up to this much CPU per statement to take the answer as it arrives. A caller
        /// on Swift's global executor (the default path) never makes the loop poll: its thread
        /// needs the CPU. When answers take longer than this (a remote server, long
        /// statements), polls that run out make the connection skip the next ones, up to 64
        /// statements at a time, so that little CPU goes to polling in vain.
        ///
        /// The loop goes on serving its other connections between polls, unless its own work
        /// between two polls takes longer than the 5 µs between them (a debug build, a starved
        /// CPU): then it gets to its sockets only when the spin ends, which is why the budget is
        /// at most 1 ms.
        public var spinBeforeSleeping: Duration = .microseconds(250)

        /// How long a caller off the connection's event loop (a task on Swift's global
        /// executor, the default path) polls for a statement's result on its own thread before
        /// it sleeps; `.zero` turns it off. At most 1 ms: a longer duration counts as 1 ms.
        ///
        /// A caller that sleeps leaves its CPU idle; the answer then wakes the event loop and
        /// the loop wakes the caller, and on a virtual machine each wake-up of an idle CPU can
        /// take longer than a local server's whole answer. Polling spends up to this much CPU
        /// per statement to take the result as it arrives, with no wake-up.
        ///
        /// It applies to ``query(_:logger:)`` and what runs through it (``execute(_:logger:)``),
        /// and to ``simpleQuery(_:logger:)`` and what runs through that (a transaction's BEGIN
        /// and COMMIT, a savepoint's), for a caller that queries one statement after another:
        /// once eight statements in a row on the connection were each the only one in the
        /// process waiting off an event loop. A second caller waiting ends the spin and starts
        /// none, since with concurrent statements other tasks want the thread. It never applies
        /// on an event loop's thread; a caller isolated to an actor holds the actor while it
        /// polls. When answers take longer than this (a remote server, long statements), spins
        /// that run out make the connection skip the next ones, up to 64 statements at a time.
        /// Where CPU is scarce (a container with a CPU quota), turn it off.
        ///
        /// A ``PGPool`` applies its ``PGPool/Configuration/connectionOptions``' value to its
        /// one-off statements (``PGPool/query(_:logger:)`` and ``PGPool/execute(_:logger:)``) in
        /// the same way, counting the run of statements alone across the pool.
        public var callerSpinBeforeSleeping: Duration = .microseconds(250)

        /// Who counts the callers waiting off an event loop, for ``callerSpinBeforeSleeping``:
        /// the whole process's count; a test gives its connection its own.
        var callerWaitingCount = CallerWaitingCount.process

        /// Creates options.
        public init(
            statementCacheCapacity: Int = 256, maximumUnsentBytes: Int = 1 << 20,
            cancelTimeout: Duration = .seconds(5), requestTimeout: Duration? = nil,
            tracer: (any Tracer)? = nil, metricsFactory: (any MetricsFactory)? = nil,
            noticeLogLevel: Logger.Level = .debug
        ) {
            self.statementCacheCapacity = statementCacheCapacity
            self.maximumUnsentBytes = maximumUnsentBytes
            self.cancelTimeout = cancelTimeout
            self.requestTimeout = requestTimeout
            self.tracer = tracer
            self.metricsFactory = metricsFactory
            self.noticeLogLevel = noticeLogLevel
        }
    }

    // MARK: State

    /// The server's run-time parameters (`server_version`, `TimeZone`, `client_encoding`, …),
    /// kept current as the server reports changes.
    public var serverParameters: [String: String] { shared.read { $0.serverParameters } }
    /// The key that cancels this connection's running query.
    public var backendKeyData: BackendMessage.BackendKeyData? { shared.read { $0.backendKeyData } }
    /// The transaction status after the last completed request.
    public var transactionStatus: BackendMessage.TransactionStatus { shared.transactionStatus }
    /// The authentication method the server used (`none` for trust).
    public var authenticationMethod: ConnectionSettings.AuthenticationMethod? { shared.read { $0.authenticationMethod } }
    /// Whether the connection is encrypted with TLS.
    public var usesTLS: Bool { shared.read { $0.usesTLS } }
    /// The server's address as connected (`"127.0.0.1:5432"`, `"/var/run/postgresql/.s.PGSQL.5432"`).
    public var remoteAddress: String? {
        guard let address = channel.remoteAddress else { return nil }
        if let path = address.pathname { return path }
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
    /// The TLS version in use (`"TLSv1.3"`), or `nil` without TLS.
    public var tlsVersion: String? { shared.read { $0.tlsVersion } }
    /// Whether SCRAM authentication was bound to the TLS channel.
    public var isChannelBound: Bool { shared.read { $0.isChannelBound } }
    /// Whether the connection is closed; a closed connection fails every request.
    public var isClosed: Bool { shared.read { $0.isClosed } || !channel.isActive }

    /// Sets the function called with each notice the server sends (they are logged too, at
    /// ``Options/noticeLogLevel``).
    public func onNotice(_ handler: @escaping @Sendable (PGNotice) -> Void) {
        shared.update { $0.noticeHandler = handler }
    }

    /// Sets the function called with each notification on a channel this session listens to.
    public func onNotification(_ handler: @escaping @Sendable (PGNotification) -> Void) {
        shared.update { $0.notificationHandler = handler }
    }

    // MARK: Connecting

    /// Where to connect.
    enum Target: Sendable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)

        var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unixSocket(let path): path
            }
        }
    }

    /// Opens a connection to one address and runs startup and authentication.
    static func connect(
        to target: Target, settings: ConnectionSettings, tls: PGTLSSetup?, timeout: TimeAmount?,
        options: Options = Options(), instrumentation: PGInstrumentation, socket: PGSocketOptions = PGSocketOptions(),
        eventLoopGroup: any EventLoopGroup, logger baseLogger: Logger
    ) async throws(PGError) -> PGConnection {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        var logger = baseLogger
        logger[metadataKey: "pg.connection.id"] = "\(id)"
        let eventLoop = eventLoopGroup.next()
        let connected = eventLoop.makePromise(of: NIOLoopBound<PGChannelHandler>.self)
        let shared = PGConnectionShared()
        let handlerLogger = logger
        let unsent = max(options.maximumUnsentBytes, 64 * 1024)
        var bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(ChannelOptions.writeBufferWaterMark, value: .init(low: unsent / 2, high: unsent))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = PGChannelHandler(
                        settings: settings, tls: tls, shared: shared, logger: handlerLogger, connectPromise: connected,
                        statementCacheCapacity: options.pooler.statementCacheCapacity(
                            requested: options.statementCacheCapacity),
                        cancelTimeout: max(options.cancelTimeout, .milliseconds(50)),
                        noticeLogLevel: instrumentation.telemetry.noticeLogLevel,
                        executor: PGEventLoopExecutor.shared(for: channel.eventLoop),
                        spinBeforeSleeping: options.spinBeforeSleeping)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        if case .tcp = target {
            bootstrap = bootstrap.channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            bootstrap = socket.applied(to: bootstrap, isTCP: true)
        } else {
            bootstrap = socket.applied(to: bootstrap, isTCP: false)
        }
        if let timeout { bootstrap = bootstrap.connectTimeout(timeout) }

        let channel: any Channel
        let cancelled = PGError(.cancelled, message: "connecting to \(target) was cancelled", requestWasSent: false)
        do {
            let connecting =
                switch target {
                case .tcp(let host, let port): bootstrap.connect(host: host, port: port)
                case .unixSocket(let path): bootstrap.connect(unixDomainSocketPath: path)
                }
            channel = try await connecting.valueOrCancellation(cancelled) { $0.close(promise: nil) }
        } catch {
            connected.fail(error)
            if let error = error as? PGError { throw error }
            throw PGError(.connectionFailed, message: "could not connect to \(target): \(error)", requestWasSent: false)
        }
        if let timeout {
            let deadline = channel.eventLoop.scheduleTask(in: timeout) {
                connected.fail(PGError(.timeout, message: "connecting to \(target) took longer than \(timeout)", requestWasSent: false))
                channel.close(promise: nil)
            }
            connected.futureResult.whenComplete { _ in deadline.cancel() }
        }
        let handler: NIOLoopBound<PGChannelHandler>
        do {
            // A server that accepted the socket and went silent would keep a plain get() here
            // for ever; a cancelled caller leaves, and the channel is closed.
            handler = try await connected.futureResult.valueOrCancellation(cancelled) { _ in channel.close(promise: nil) }
        } catch {
            try? await channel.close()
            throw error as? PGError ?? PGError(.connectionFailed, message: "\(error)", requestWasSent: false)
        }
        logger.debug("connected", metadata: ["pg.target": "\(target)"])
        return PGConnection(
            channel: channel, handler: handler, shared: shared, id: id, logger: logger,
            requestTimeout: options.requestTimeout, instrumentation: instrumentation, pooler: options.pooler,
            callerSpin: CallerSpin(budget: options.callerSpinBeforeSleeping, waiting: options.callerWaitingCount))
    }

    // MARK: Queries

    /// Runs a statement with the extended protocol and streams its rows.
    ///
    /// The call returns once the statement has started (its columns are known); the rows
    /// follow through the returned sequence. Interpolated values are bound as parameters.
    ///
    /// The statement's span (when a tracer is set) and its `db.client.operation.duration` end
    /// when the last row has been read, or the sequence fails or is dropped.
    ///
    /// ```swift
    /// var logger = Logger(label: "api")
    /// logger[metadataKey: "request.id"] = "\(requestID)"
    /// let rows = try await connection.query("SELECT name FROM users WHERE id = \(id)", logger: logger)
    /// ```
    ///
    /// - Parameters:
    ///   - query: the statement; interpolated values become parameters.
    ///   - logger: where the driver's lines about this request go (with the caller's metadata,
    ///     such as a request id, and `pg.connection.id`); `nil` uses the connection's
    ///     ``logger``.
    /// - Throws: ``PGError``: the server's error when the statement fails to start, or a
    ///   client-side kind (closed connection, encoding, cancelled).
    nonisolated(nonsending) public func query(_ query: consuming PGQuery, logger: Logger? = nil) async throws -> PGRowSequence {
        let started = try startObservedQuery(query, logger: logger)
        if started.answered { return try started.takeAnsweredRows(callerSpin) }
        // The wait of ``wait(for:)``, written out: that call, inlined or not, takes more room
        // in the task's async frames than this.
        let id = started.request.id
        do {
            let rows = try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { started.request.result.resumeWhenComplete($0) }
            } onCancel: {
                self.cancel([id])
            }
            started.finishWaiting(callerSpin)
            return rows
        } catch {
            throw started.failed(error, callerSpin)
        }
    }

    /// ``query(_:logger:)`` up to its wait: observes the statement, writes it, and polls for
    /// its rows when its caller spins (``Options/callerSpinBeforeSleeping``).
    ///
    /// Not inlined, and it returns neither rows nor a typed error: the query's async frame,
    /// which a task allocates for every statement, then holds little more than the request.
    /// The query, a polled result or a `PGError` kept there would take hundreds of bytes, and a
    /// task that runs one statement would allocate more slabs for its frames.
    ///
    /// - Throws: ``PGError`` when a value could not be encoded; nothing is written then.
    @inline(never)
    private func startObservedQuery(_ query: consuming PGQuery, logger: Logger?) throws -> PGStartedQuery {
        let (counted, alone) = callerSpin.startWaiting(on: channel.eventLoop)
        let observer = observe(.statement(query.sql, parameterized: query.isParameterized), logger: logger)
        if let error = query.encodingError {
            if counted { callerSpin.finishedWaiting() }
            observer?.end(error)
            throw error
        }
        let request = startQuery(query, observer: observer)
        let answered = counted && callerSpin.poll(alone: alone, until: request.result.isCompleted)
        return PGStartedQuery(
            request: request, observer: observer, counted: counted, answered: answered)
    }

    /// Runs a statement whose rows are not wanted and returns its command tag and row count.
    ///
    /// - Parameters:
    ///   - query: the statement, its interpolated values bound as parameters.
    ///   - logger: where the driver's lines about this request go; `nil` uses the
    ///     connection's ``logger`` (see ``query(_:logger:)``).
    /// - Throws: ``PGError`` when the statement fails.
    @discardableResult
    nonisolated(nonsending) public func execute(_ query: consuming PGQuery, logger: Logger? = nil) async throws -> PGCommandResult {
        let rows = try await self.query(query, logger: logger)
        for try await _ in rows {}
        return PGCommandResult(commandTag: rows.commandTag ?? "")
    }

    /// Runs SQL text with the simple protocol: any number of statements, no parameters, results
    /// in text format, all collected in memory. For control statements and scripts.
    ///
    /// Its span reports the text with its literal values replaced by `?` (the text may hold
    /// values: nothing here is a parameter).
    ///
    /// - Parameters:
    ///   - sql: one or more statements, separated by semicolons.
    ///   - logger: where the driver's lines about this request go; `nil` uses the
    ///     connection's ``logger`` (see ``query(_:logger:)``).
    /// - Throws: ``PGError`` when a statement fails; the statements after it are not run.
    @discardableResult
    nonisolated(nonsending) public func simpleQuery(_ sql: String, logger: Logger? = nil) async throws -> [PGResultSet] {
        let observer = observe(.statement(sql, parameterized: false), logger: logger)
        return try await observing(observer) { try await runSimpleQuery(sql, observer: observer) }
    }

    /// Runs SQL text with the simple protocol, unobserved: for the driver's own housekeeping
    /// (a pool's health check, cleanup and reset), which belongs to no caller's trace.
    nonisolated(nonsending) func housekeepingQuery(_ sql: String) async throws {
        _ = try await runSimpleQuery(sql, observer: nil)
    }

    /// Writes SQL text with the simple protocol and waits for its results: polling for them
    /// first, as a query's caller does (``Options/callerSpinBeforeSleeping``), so that a
    /// transaction's BEGIN and COMMIT cost no more wake-ups than its statements.
    nonisolated(nonsending) private func runSimpleQuery(
        _ sql: String, observer: PGOperationObserver?
    ) async throws -> [PGResultSet] {
        let (counted, alone) = callerSpin.startWaiting(on: channel.eventLoop)
        defer { if counted { callerSpin.finishedWaiting() } }
        let result = PGSimpleResult(sql: sql)
        let started = start(PGRequest(id: makeRequestID(), kind: .simple(result), observer: observer), result)
        if counted, let polled = callerSpin.poll(for: result, alone: alone) {
            return try started.value(of: polled)
        }
        return try await wait(for: started)
    }

    func makeRequestID() -> RequestID {
        RequestID(nextRequestID.wrappingAdd(1, ordering: .relaxed).oldValue)
    }

    /// Writes a request and waits for its first result. If the calling task is cancelled
    /// meanwhile, the server is asked to cancel the statement, and the error says so.
    nonisolated(nonsending) func submit<Value: Sendable>(
        _ request: consuming PGRequest, _ result: PGPendingValue<Value>
    ) async throws -> Value {
        try await wait(for: start(request, result))
    }

    /// Waits for the first result of a request written with ``start(_:_:)``. If the calling
    /// task is cancelled meanwhile, the server is asked to cancel the statement, and the error
    /// says so.
    nonisolated(nonsending) func wait<Pending: PGRequestResult>(for started: PGStartedRequest<Pending>) async throws -> Pending.Value {
        try await withTaskCancellationHandler {
            try await waitIgnoringCancellation(for: started)
        } onCancel: {
            self.cancel([started.id])
        }
    }

    /// Waits for the first result of a request written with ``start(_:_:)``, leaving the
    /// calling task's cancellation to the caller (which cancels its requests together).
    @inline(__always)
    nonisolated(nonsending) func waitIgnoringCancellation<Pending: PGRequestResult>(
        for started: PGStartedRequest<Pending>
    ) async throws -> Pending.Value {
        do {
            return try await withUnsafeThrowingContinuation { started.result.resumeWhenComplete($0) }
        } catch {
            throw started.failure(error)
        }
    }

    /// Writes a request without waiting for it, and arms its deadline
    /// (``Options/requestTimeout``) when it has one. `callerWaits` says whether the code that
    /// calls this is what waits for the result (see ``write(_:callerWaits:)``).
    func start<Pending: PGRequestResult>(
        _ request: consuming PGRequest, _ result: Pending, callerWaits: Bool = true
    ) -> PGStartedRequest<Pending> {
        let id = request.id
        write(request, callerWaits: callerWaits)
        let deadline = requestTimeout.map { RequestDeadline(id, after: $0, on: self, until: result) }
        return PGStartedRequest(id: id, result: result, deadline: deadline)
    }

    /// Writes `query` (its encoding already checked) without waiting for its rows: for
    /// ``query(_:logger:)``, and for a pool that starts a one-off statement on the event loop
    /// where a connection came free (`callerWaits` false: its caller waits elsewhere).
    func startQuery(
        _ query: consuming PGQuery, observer: PGOperationObserver?, callerWaits: Bool = true
    ) -> PGStartedRequest<PGPendingResult> {
        let result = PGPendingResult(query: query, observer: observer)
        return start(
            PGRequest(id: makeRequestID(), kind: .query(result), observer: observer), result, callerWaits: callerWaits)
    }

    /// Hands a request to the channel handler, in order with the requests written after it.
    ///
    /// A caller off the event loop appends it to the connection's submission queue, and the
    /// event loop's next turn writes everything queued with one flush. Order holds: a task's
    /// next request comes after this one has been queued, and anything that reaches the event
    /// loop afterwards (a hop of the task to it, a cancel, a write through the channel) runs in
    /// a later job than the turn that takes the queue.
    ///
    /// When the caller runs on the event loop and `callerWaits` (it is the task that waits for
    /// the result, not a pool starting a waiting caller's statement), the loop polls its socket
    /// for a while instead of sleeping (``Options/spinBeforeSleeping``).
    private func write(_ request: consuming PGRequest, callerWaits: Bool) {
        if channel.eventLoop.inEventLoop {
            // The caller runs on the connection's event loop (its executor): hand the request to
            // the handler directly. Going through the pipeline would box the request, make a
            // promise and a callback for the write, and walk the handlers, for every query.
            if channel.isActive {
                handler.value.submitAndFlush(request, spinForAnswer: callerWaits)
            } else {
                request.fail(request.closedError(ChannelError.ioOnClosedChannel))
            }
        } else if shared.submissions.append(request) {
            channel.eventLoop.execute(submitQueuedJob)
        }
    }

    /// Sends SQL text with the simple protocol without waiting for its answer: it runs after
    /// every request written before it and before every one written after it. For statements
    /// that end what a cancelled caller began (a ROLLBACK), which must not wait for a cancelled
    /// statement before them to end; a failure is logged as `what` to `logger` (see
    /// ``logUndoFailure(_:_:cause:logger:)`` for its level).
    func sendWithoutWaiting(_ sql: String, what: Logger.Message, logger: Logger? = nil) {
        let observer = observe(.statement(sql, parameterized: false), logger: logger)
        let result = PGSimpleResult(sql: sql)
        write(PGRequest(id: makeRequestID(), kind: .simple(result), observer: observer), callerWaits: false)
        let logger = requestLogger(logger)
        result.whenComplete { [weak self] outcome in
            switch outcome {
            case .success: observer?.end(nil)
            case .failure(let error):
                observer?.end(error)
                self?.logUndoFailure(what, error, logger: logger)
            }
        }
    }

    /// Asks the event loop to cancel requests, in the order given, where they are still running.
    func cancel(_ ids: [RequestID]) {
        let channel = self.channel
        channel.eventLoop.execute {
            guard let handler = try? channel.pipeline.syncOperations.handler(type: PGChannelHandler.self) else { return }
            for id in ids { handler.cancelRequested(id) }
        }
    }

    // MARK: Closing

    /// Ends the session: sends Terminate and closes the socket. Requests still running fail.
    public func close() async {
        guard channel.isActive else { return }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute {
            do {
                let handler = try self.channel.pipeline.syncOperations.handler(type: PGChannelHandler.self)
                handler.closeRequested()
            } catch {
                self.channel.close(promise: nil)
            }
            promise.succeed()
        }
        try? await promise.futureResult.get()
        try? await channel.closeFuture.get()
    }
}
