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
                    try channel.pipeline.syncOperations.addHandler(WireFloorHandler(settings: settings, connected: connected))
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
        }
    }
}

/// The floor's channel handler: startup as ``ConnectionStateMachine`` says, `SELECT 1` prepared,
/// then one execution after another, each answered by its ReadyForQuery. Everything here runs
/// on the event loop.
final class WireFloorHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var machine: ConnectionStateMachine
    private var decoder = BackendMessageDecoder()
    /// Pending until startup ends.
    private var connected: EventLoopPromise<Void>?
    private var context: ChannelHandlerContext?
    /// What every round trip sends: Bind, Execute and Sync of the prepared statement.
    private var execution = ByteBuffer()
    /// What to call with the outcome of the query in flight.
    private var onResult: ((Result<Void, any Error>) -> Void)?

    init(settings: ConnectionSettings, connected: EventLoopPromise<Void>) {
        self.machine = ConnectionStateMachine(settings: settings)
        self.connected = connected
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            try FrontendMessage.bind(.init(statementName: Self.statement, parameterFormats: [])).encode(into: &execution)
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
        finish(.failure(closed))
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
    private static let statement = "pgwire_floor"

    /// Runs the prepared `SELECT 1` and calls `onResult` when its ReadyForQuery arrives.
    func sendQuery(_ onResult: @escaping (Result<Void, any Error>) -> Void) {
        send(execution, then: onResult)
    }

    private func send(_ bytes: ByteBuffer, then onResult: @escaping (Result<Void, any Error>) -> Void) {
        guard let context else { return onResult(.failure(BenchError("the wire floor's handler was removed"))) }
        self.onResult = onResult
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    /// Startup ended: prepares the statement, then reports the connection ready.
    private func prepare(context: ChannelHandlerContext) {
        let connected = self.connected
        self.connected = nil
        var bytes = context.channel.allocator.buffer(capacity: 64)
        do {
            try FrontendMessage.parse(.init(statementName: Self.statement, query: "SELECT 1")).encode(into: &bytes)
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

    private func finish(_ result: Result<Void, any Error>) {
        let onResult = self.onResult
        self.onResult = nil
        onResult?(result)
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
        finish(.failure(error))
        context.close(promise: nil)
    }
}
