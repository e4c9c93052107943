import NIOCore
import NIOPosix
import PGClient
import PGWire
import Synchronization

/// A server that speaks just enough of the protocol to misbehave on purpose: it answers the
/// startup (no TLS, no password), then answers each simple Query with what the test's script
/// writes — floods, messages that declare more than they send, silence. A real server cannot be
/// made to do these things; everything else is tested against PostgreSQL.
final class ScriptedServer: Sendable {
    /// What the script can do with the client's link.
    struct Link: Sendable {
        fileprivate let channel: any Channel

        /// Writes `messages`, completing when the socket has taken them (so that a flood is
        /// paced by the client's reading, not buffered here).
        func send(_ messages: [BackendMessage]) async throws {
            var buffer = channel.allocator.buffer(capacity: 256)
            for message in messages { message.encode(into: &buffer) }
            try await send(bytes: buffer)
        }

        /// Writes raw bytes (a message that lies about its length, say).
        func send(bytes: ByteBuffer) async throws {
            try await channel.writeAndFlush(bytes)
        }

        /// Ends the answer: CommandComplete with `tag`, then ReadyForQuery.
        func complete(tag: String) async throws {
            try await send([.commandComplete(.init(tag: tag)), .readyForQuery(.init(transactionStatus: .idle))])
        }
    }

    let port: Int
    private let channel: any Channel
    private let sessions: Sessions

    /// The clients connected now.
    var openSessions: Int { sessions.open.load(ordering: .relaxed) }

    final class Sessions: Sendable {
        let open = Atomic<Int>(0)
    }

    private init(port: Int, channel: any Channel, sessions: Sessions) {
        self.port = port
        self.channel = channel
        self.sessions = sessions
    }

    /// Listens on 127.0.0.1 (a free port) and answers each Query with `script(sql, link)`; with
    /// `answersStartup` false it answers nothing at all, as a server that went silent.
    static func start(
        answersStartup: Bool = true, script: @escaping @Sendable (String, Link) async throws -> Void
    ) async throws -> ScriptedServer {
        let sessions = Sessions()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(
                        ScriptedSession(script: script, answersStartup: answersStartup, sessions: sessions))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw TestSupportError("the scripted server has no port") }
        return ScriptedServer(port: port, channel: channel, sessions: sessions)
    }

    /// A configuration that connects to this server.
    func config() throws -> PGConfig {
        try PGConfig("host=127.0.0.1 port=\(port) user=scripted dbname=scripted sslmode=disable")
    }

    func stop() async {
        try? await channel.close()
    }
}

/// One client of a ``ScriptedServer``: the startup, then Query after Query.
private final class ScriptedSession: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let script: @Sendable (String, ScriptedServer.Link) async throws -> Void
    private let answersStartup: Bool
    private let sessions: ScriptedServer.Sessions
    private let state = Mutex<(buffer: ByteBuffer, started: Bool)>((ByteBuffer(), false))
    /// The answer being written; the next one starts after it.
    private let answering = Mutex<Task<Void, Never>?>(nil)

    init(
        script: @escaping @Sendable (String, ScriptedServer.Link) async throws -> Void, answersStartup: Bool,
        sessions: ScriptedServer.Sessions
    ) {
        self.script = script
        self.answersStartup = answersStartup
        self.sessions = sessions
    }

    func channelActive(context: ChannelHandlerContext) {
        sessions.open.add(1, ordering: .relaxed)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        sessions.open.subtract(1, ordering: .relaxed)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard answersStartup else { return }
        var incoming = unwrapInboundIn(data)
        let channel = context.channel
        let queries: [String] = state.withLock { state in
            state.buffer.writeBuffer(&incoming)
            var queries: [String] = []
            while true {
                if !state.started {
                    guard let length = state.buffer.getInteger(at: state.buffer.readerIndex, as: Int32.self),
                        state.buffer.readableBytes >= Int(length), var packet = state.buffer.readSlice(length: Int(length))
                    else { break }
                    packet.moveReaderIndex(forwardBy: 4)
                    switch packet.readInteger(as: Int32.self) {
                    case 80_877_103:  // SSLRequest: no TLS here
                        channel.writeAndFlush(ByteBuffer(string: "N"), promise: nil)
                    case 80_877_102:  // CancelRequest: taken, and nothing to cancel
                        channel.close(promise: nil)
                    default:
                        state.started = true
                        var greeting = ByteBuffer()
                        for message: BackendMessage in [
                            .authentication(.ok), .parameterStatus(.init(name: "server_version", value: "15.0")),
                            .backendKeyData(.init(processID: 1, secretKey: [0, 0, 0, 1])),
                            .readyForQuery(.init(transactionStatus: .idle)),
                        ] { message.encode(into: &greeting) }
                        channel.writeAndFlush(greeting, promise: nil)
                    }
                    continue
                }
                guard let type = state.buffer.getInteger(at: state.buffer.readerIndex, as: UInt8.self),
                    let length = state.buffer.getInteger(at: state.buffer.readerIndex + 1, as: Int32.self),
                    state.buffer.readableBytes >= 1 + Int(length), var packet = state.buffer.readSlice(length: 1 + Int(length))
                else { break }
                packet.moveReaderIndex(forwardBy: 5)
                if type == UInt8(ascii: "Q") {
                    queries.append(packet.readNullTerminatedString() ?? "")
                } else if type == UInt8(ascii: "X") {
                    channel.close(promise: nil)
                }
            }
            state.buffer.discardReadBytes()
            return queries
        }
        let link = ScriptedServer.Link(channel: channel)
        let script = self.script
        for sql in queries {
            answering.withLock { previous in
                let before = previous
                previous = Task {
                    await before?.value
                    try? await script(sql, link)
                }
            }
        }
    }
}

extension ByteBuffer {
    fileprivate mutating func readNullTerminatedString() -> String? {
        guard let end = readableBytesView.firstIndex(of: 0) else { return nil }
        let string = readString(length: end - readerIndex)
        moveReaderIndex(forwardBy: 1)
        return string
    }
}
