import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One relayed connection: the client's socket, the socket to the server, and the
/// ``ProxyLink`` that decides what passes. Everything runs on the client channel's event loop
/// (the server channel is made on the same one).
final class ProxyConnection: @unchecked Sendable {
    // @unchecked: every mutable field is touched on `eventLoop` only.
    let eventLoop: any EventLoop
    private let shared: PGFaultProxy.Shared
    private let client: any Channel
    private var server: (any Channel)?
    private var link = ProxyLink()
    private var generation = -1
    /// Bytes held back by `latency`, per direction, with the time they may go.
    private var delayed: [PGFaultDirection: [(due: NIODeadline, bytes: [UInt8])]] = [:]
    private var drainScheduled: Set<PGFaultDirection> = []
    private var closed = false

    private init(client: any Channel, shared: PGFaultProxy.Shared) {
        self.client = client
        self.eventLoop = client.eventLoop
        self.shared = shared
    }

    /// Connects to the server for a newly accepted client (once admitted: see
    /// ``PGFaultProxy/holdNewConnections()``) and starts relaying; the client's bytes are read
    /// only once the server is connected.
    static func relay(_ client: any Channel, shared: PGFaultProxy.Shared) -> EventLoopFuture<Void> {
        let connection = ProxyConnection(client: client, shared: shared)
        return shared.admission(on: client.eventLoop).flatMap {
            ClientBootstrap(group: client.eventLoop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { server in
                    server.eventLoop.makeCompletedFuture {
                        try server.pipeline.syncOperations.addHandler(ProxyReadHandler(connection: connection, direction: .toClient))
                    }
                }
                .connect(host: shared.targetHost, port: shared.targetPort)
        }.flatMapThrowing { server in
            connection.server = server
            try client.pipeline.syncOperations.addHandler(ProxyReadHandler(connection: connection, direction: .toServer))
            shared.state.withLock {
                $0.connections[ObjectIdentifier(connection)] = connection
                $0.accepted += 1
            }
        }
    }

    /// Bytes arrived travelling in `direction`.
    func received(_ buffer: ByteBuffer, travelling direction: PGFaultDirection) {
        let (faults, generation) = shared.state.withLock { ($0.faults, $0.generation) }
        if generation != self.generation {
            self.generation = generation
            link.faultsChanged()
        }
        let steps = link.received(Array(buffer.readableBytesView), travelling: direction, faults: faults)
        for step in steps {
            switch step {
            case .forward(let bytes, let direction): forward(bytes, direction, faults: faults)
            case .act(let action): breakLink(action)
            }
        }
    }

    private func forward(_ bytes: [UInt8], _ direction: PGFaultDirection, faults: [PGFault]) {
        var delay: Duration?
        var trickle = false
        for fault in faults {
            switch fault {
            case .latency(let amount, let faulted) where faulted == nil || faulted == direction: delay = amount
            case .oneByteAtATime(let faulted) where faulted == nil || faulted == direction: trickle = true
            default: break
            }
        }
        if let delay {
            let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
            delayed[direction, default: []].append((NIODeadline.now() + .nanoseconds(nanoseconds), bytes))
            scheduleDrain(direction, trickle: trickle)
        } else if delayed[direction]?.isEmpty == false {
            delayed[direction, default: []].append((NIODeadline.now(), bytes))  // after what waits
        } else {
            write(bytes, direction, trickle: trickle)
        }
    }

    private func scheduleDrain(_ direction: PGFaultDirection, trickle: Bool) {
        guard !drainScheduled.contains(direction), let first = delayed[direction]?.first else { return }
        drainScheduled.insert(direction)
        eventLoop.scheduleTask(deadline: first.due) { [self] in
            drainScheduled.remove(direction)
            let now = NIODeadline.now()
            while let head = delayed[direction]?.first, head.due <= now {
                delayed[direction]?.removeFirst()
                write(head.bytes, direction, trickle: trickle)
            }
            scheduleDrain(direction, trickle: trickle)
        }
    }

    private func write(_ bytes: [UInt8], _ direction: PGFaultDirection, trickle: Bool) {
        guard !closed, let target = direction == .toServer ? server : client else { return }
        if trickle {
            for byte in bytes {
                target.writeAndFlush(target.allocator.buffer(bytes: [byte]), promise: nil)
            }
        } else {
            target.writeAndFlush(target.allocator.buffer(bytes: bytes), promise: nil)
        }
    }

    /// Closes, resets or silences the link (from any thread).
    func breakLink(_ action: PGFaultAction) {
        guard eventLoop.inEventLoop else {
            eventLoop.execute { self.breakLink(action) }
            return
        }
        switch action {
        case .stall:
            delayed.removeAll()
            silenced = true
        case .close:
            close(reset: false)
        case .reset:
            close(reset: true)
        }
    }

    /// Set by a `stall` from ``PGFaultProxy/breakConnections(_:)``: nothing more is forwarded.
    private var silenced = false

    private func close(reset: Bool) {
        guard !closed else { return }
        closed = true
        delayed.removeAll()
        for channel in [client, server].compactMap({ $0 }) {
            if reset, let provider = channel as? any SocketOptionProvider {
                _ = provider.setSoLinger(linger(l_onoff: 1, l_linger: 0))
            }
            channel.close(promise: nil)
        }
        shared.state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(self)) }
    }

    /// One side closed: the other is closed too — unless the link is silent, where nothing
    /// would tell the other side (it stays open until the proxy breaks or stops it).
    func sideClosed() {
        guard !isSilenced() else { return }
        close(reset: false)
    }

    func isSilenced() -> Bool { silenced || link.isStalled }
}

/// Reads one side's bytes into the connection.
final class ProxyReadHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: ProxyConnection
    private let direction: PGFaultDirection

    init(connection: ProxyConnection, direction: PGFaultDirection) {
        self.connection = connection
        self.direction = direction
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !connection.isSilenced() else { return }
        connection.received(unwrapInboundIn(data), travelling: direction)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.sideClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
