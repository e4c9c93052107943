import NIOCore
import NIOPosix
import PGClient
import PGWire

/// The floor under every sequential workload: `SELECT 1` round trips on a socket that SwiftNIO
/// owns, with no driver — startup through PGWire's ``ConnectionStateMachine``, the statement
/// prepared once, then Bind, Execute and Sync per round trip (the messages `select1_seq` and
/// pgbench `-M prepared` send), each answered when its ReadyForQuery is read. Beside pgbench
/// and `select1_seq`, it shows what SwiftNIO and the caller's executor cost before any driver
/// code runs: the part of the gap to libpq that no change inside the driver can remove.
enum WireFloor {
    /// Where the code that waits for each result runs.
    enum Caller: Sendable {
        /// On the event loop, in the handler: the next query is written as the last result's
        /// ReadyForQuery is read (SwiftNIO alone).
        case eventLoop
        /// A task pinned to the event loop (``PGEventLoopExecutor``), awaiting each result.
        case pinnedTask
        /// A task on Swift's global executor, awaiting each result: every query hops to the
        /// event loop and its result hops back, as the default path's do.
        case globalTask
        /// `pipeline_100`'s shape: groups of ``PipelineShape/batchSize`` concurrent tasks on the
        /// global executor, each sending one `SELECT $1::int4` (Bind, Execute, Sync) from the
        /// event loop and awaiting its result; a group's writes go out with one flush.
        case concurrentGlobalTasks
    }

    /// Connects, measures `ops` round trips with `caller` waiting for each, and disconnects.
    ///
    /// - Throws: ``BenchError`` when the server needs TLS (the floor has none) or the connection
    ///   fails.
    static func measure(_ caller: Caller, ops: Int, config: PGConfig) async throws -> Measurement {
        guard let host = config.hosts.first else { throw BenchError("no host to connect to") }
        guard config.sslMode == .disable || config.sslMode == .allow || config.sslMode == .prefer else {
            throw BenchError("the wire floor has no TLS: run it with --sslmode disable")
        }
        var plaintext = config.connectionSettings(for: host)
        plaintext.tls = .disable
        let settings = plaintext
        let connected = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: connected.futureResult.eventLoop)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: host.isUnixSocket ? 0 : 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        WireFloorHandler(settings: settings, statement: caller.statement, connected: connected))
                }
            }
        let channel =
            if let path = host.unixSocketPath {
                try await bootstrap.connect(unixDomainSocketPath: path).get()
            } else {
                try await bootstrap.connect(host: host.hostaddr ?? host.host, port: host.port).get()
            }
        do {
            try await connected.futureResult.get()
            let handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: WireFloorHandler.self), eventLoop: channel.eventLoop)
            }.get()
            let measurement = try await timed(ops) { try await roundTrips(ops, caller, handler) }
            try await channel.eventLoop.submit { handler.value.terminate() }.get()
            return measurement
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func roundTrips(_ ops: Int, _ caller: Caller, _ handler: NIOLoopBound<WireFloorHandler>) async throws {
        let eventLoop = handler.eventLoop
        switch caller {
        case .eventLoop:
            let done = eventLoop.makePromise(of: Void.self)
            eventLoop.execute { handler.value.sendQueries(ops, done: done) }
            try await done.futureResult.get()
        case .pinnedTask:
            try await withTaskExecutorPreference(PGEventLoopExecutor(eventLoop: eventLoop)) {
                for _ in 0..<ops {
                    try await withUnsafeThrowingContinuation { continuation in
                        handler.value.sendQuery { continuation.resume(with: $0) }
                    }
                }
            }
        case .globalTask:
            for _ in 0..<ops {
                try await withUnsafeThrowingContinuation { continuation in
                    eventLoop.execute { handler.value.sendQuery { continuation.resume(with: $0) } }
                }
            }
        case .concurrentGlobalTasks:
            for first in stride(from: 0, to: ops, by: PipelineShape.batchSize) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in first..<min(first + PipelineShape.batchSize, ops) {
                        group.addTask {
                            try await withUnsafeThrowingContinuation { continuation in
                                eventLoop.execute {
                                    handler.value.sendQuery(flushAtEndOfTick: true) { continuation.resume(with: $0) }
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }
}

extension WireFloor.Caller {
    /// The statement each round trip runs: the one its workload's libpq program runs.
    var statement: WireFloorHandler.Statement {
        switch self {
        case .eventLoop, .pinnedTask, .globalTask: .selectOne
        case .concurrentGlobalTasks: .selectParameter
        }
    }
}

/// The floor's channel handler: startup as ``ConnectionStateMachine`` says, `SELECT 1` prepared,
/// then one execution after another, each answered by its ReadyForQuery. Everything here runs
/// on the event loop.
final class WireFloorHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the floor prepares and runs.
    enum Statement {
        /// `SELECT 1`, as pgbench `-M prepared` runs for `select1_seq`.
        case selectOne
        /// `SELECT $1::int4` with one binary parameter, as `pipeline_sync.c` runs.
        case selectParameter

        var sql: String {
            switch self {
            case .selectOne: "SELECT 1"
            case .selectParameter: "SELECT $1::int4"
            }
        }

        var bind: FrontendMessage.Bind {
            switch self {
            case .selectOne:
                .init(statementName: WireFloorHandler.statementName, parameterFormats: [])
            case .selectParameter:
                .init(
                    statementName: WireFloorHandler.statementName, parameterFormats: [.binary],
                    parameters: [ByteBuffer(integer: Int32(7))])
            }
        }
    }

    private let statement: Statement
    private var machine: ConnectionStateMachine
    private var decoder = BackendMessageDecoder()
    /// Pending until startup ends.
    private var connected: EventLoopPromise<Void>?
    private var context: ChannelHandlerContext?
    /// What every round trip sends: Bind, Execute and Sync of the prepared statement.
    private var execution = ByteBuffer()
    /// What to call with the outcome of each query in flight, oldest first.
    private var onResults = CircularBuffer<(Result<Void, any Error>) -> Void>()
    /// Whether a flush is scheduled for the end of this tick.
    private var flushScheduled = false

    init(settings: ConnectionSettings, statement: Statement, connected: EventLoopPromise<Void>) {
        self.machine = ConnectionStateMachine(settings: settings)
        self.statement = statement
        self.connected = connected
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            try FrontendMessage.bind(statement.bind).encode(into: &execution)
            try FrontendMessage.execute(.init()).encode(into: &execution)
            try FrontendMessage.sync.encode(into: &execution)
        } catch {
            connected?.fail(error)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(machine.socketConnected(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let closed = BenchError("the wire floor's connection closed")
        connected?.fail(closed)
        connected = nil
        finishAll(closed)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        decoder.append(unwrapInboundIn(data))
        do {
            while let message = try decoder.next() {
                if connected != nil {
                    perform(machine.messageReceived(message), context: context)
                } else if case .readyForQuery = message {
                    finish(.success(()))
                } else if case .errorResponse(let error) = message {
                    finish(.failure(BenchError("SELECT 1 failed: \(error)")))
                }
            }
        } catch {
            fail(BenchError("the server's bytes could not be decoded: \(error)"), context: context)
        }
    }

    /// The prepared statement's name.
    static let statementName = "pgwire_floor"

    /// Runs the prepared statement and calls `onResult` when its ReadyForQuery arrives; with
    /// `flushAtEndOfTick`, the write goes out with the others of this tick, in one flush.
    func sendQuery(flushAtEndOfTick: Bool = false, _ onResult: @escaping (Result<Void, any Error>) -> Void) {
        send(execution, flushAtEndOfTick: flushAtEndOfTick, then: onResult)
    }

    private func send(
        _ bytes: ByteBuffer, flushAtEndOfTick: Bool = false, then onResult: @escaping (Result<Void, any Error>) -> Void
    ) {
        guard let context else { return onResult(.failure(BenchError("the wire floor's handler was removed"))) }
        onResults.append(onResult)
        guard flushAtEndOfTick else { return context.writeAndFlush(wrapOutboundOut(bytes), promise: nil) }
        context.write(wrapOutboundOut(bytes), promise: nil)
        guard !flushScheduled else { return }
        flushScheduled = true
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            handler.value.flushScheduled = false
            handler.value.context?.flush()
        }
    }

    /// Startup ended: prepares the statement, then reports the connection ready.
    private func prepare(context: ChannelHandlerContext) {
        let connected = self.connected
        self.connected = nil
        var bytes = context.channel.allocator.buffer(capacity: 64)
        do {
            try FrontendMessage.parse(.init(statementName: Self.statementName, query: statement.sql)).encode(into: &bytes)
            try FrontendMessage.sync.encode(into: &bytes)
        } catch {
            connected?.fail(error)
            return
        }
        send(bytes) { connected?.completeWith($0) }
    }

    /// Sends `count` queries one after the other, each as the last one's result is read, and
    /// completes `done` after the last.
    func sendQueries(_ count: Int, done: EventLoopPromise<Void>) {
        guard count > 0 else { return done.succeed() }
        sendQuery { [self] result in
            switch result {
            case .success: sendQueries(count - 1, done: done)
            case .failure(let error): done.fail(error)
            }
        }
    }

    /// Ends the session.
    func terminate() {
        guard let context else { return }
        var bytes = context.channel.allocator.buffer(capacity: 8)
        try? FrontendMessage.terminate.encode(into: &bytes)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        context.close(promise: nil)
    }

    /// The oldest query in flight ended with `result`.
    private func finish(_ result: Result<Void, any Error>) {
        onResults.popFirst()?(result)
    }

    /// Every query in flight ends with `error`.
    private func finishAll(_ error: any Error) {
        while let onResult = onResults.popFirst() { onResult(.failure(error)) }
    }

    private func perform(_ action: ConnectionAction, context: ChannelHandlerContext) {
        switch action {
        case .sendMessage(let message):
            var bytes = context.channel.allocator.buffer(capacity: 256)
            do {
                try message.encode(into: &bytes)
                context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
            } catch {
                fail(BenchError("a startup message could not be encoded: \(error)"), context: context)
            }
        case .connected:
            prepare(context: context)
        case .failAndClose(let failure, _):
            fail(BenchError("startup failed: \(failure)"), context: context)
        case .sendSSLRequest, .startTLSHandshake:
            fail(BenchError("the wire floor has no TLS"), context: context)
        default:
            break  // parameter status, backend key data, notices: nothing to do
        }
    }

    private func fail(_ error: BenchError, context: ChannelHandlerContext) {
        connected?.fail(error)
        connected = nil
        finishAll(error)
        context.close(promise: nil)
    }
}
