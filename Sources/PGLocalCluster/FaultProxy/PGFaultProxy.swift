import NIOCore
import NIOPosix

/// A TCP proxy on loopback that relays PostgreSQL sessions to a server and breaks them on
/// purpose: latency, one byte at a time, a link that goes silent one or both ways, a close or
/// reset after N bytes or around the Nth message of a type, a rewritten server message.
///
/// Clients connect to ``host``:``port`` (with `sslmode=disable`, so that messages can be seen);
/// ``faults`` applies to every relayed connection from the next bytes on, and setting it starts
/// the message counts again.
///
/// ```swift
/// let proxy = try await PGFaultProxy.start(to: cluster.host, port: cluster.port)
/// defer { Task { await proxy.stop() } }
/// proxy.faults = [.afterMessage(.init(.toServer, "Q", containing: "COMMIT"), .stall)]
/// ```
///
/// For tests only: nothing here is hardened against a hostile peer.
public final class PGFaultProxy: Sendable {
    /// The address clients connect to.
    public let host: String
    /// The port clients connect to.
    public let port: Int
    private let listener: any Channel
    let shared: Shared

    /// What the listener and the relayed connections share.
    final class Shared: Sendable {
        let state = LockedValue(State())
        let targetHost: String
        let targetPort: Int

        init(targetHost: String, targetPort: Int) {
            self.targetHost = targetHost
            self.targetPort = targetPort
        }

        struct State {
            var faults: [PGFault] = []
            var generation = 0
            var connections: [ObjectIdentifier: ProxyConnection] = [:]
            var accepted = 0
            var holdingNewConnections = false
            var held: [EventLoopPromise<Void>] = []
        }

        /// Succeeds at once unless new connections are held; then once they are released.
        func admission(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
            let promise = eventLoop.makePromise(of: Void.self)
            let holding = state.withLock { state in
                if state.holdingNewConnections { state.held.append(promise) }
                return state.holdingNewConnections
            }
            if !holding { promise.succeed() }
            return promise.futureResult
        }

        /// Stops holding new connections, and hands over those held so far.
        func stopHolding() -> [EventLoopPromise<Void>] {
            state.withLock { state in
                state.holdingNewConnections = false
                defer { state.held = [] }
                return state.held
            }
        }
    }

    private init(host: String, port: Int, listener: any Channel, shared: Shared) {
        self.host = host
        self.port = port
        self.listener = listener
        self.shared = shared
    }

    /// The faults in force, in order; an empty list passes everything through.
    public var faults: [PGFault] {
        get { shared.state.withLock { $0.faults } }
        set {
            shared.state.withLock {
                $0.faults = newValue
                $0.generation += 1
            }
        }
    }

    /// How many connections are being relayed now.
    public var openConnections: Int { shared.state.withLock { $0.connections.count } }

    /// How many connections the proxy has accepted since it started.
    public var acceptedConnections: Int { shared.state.withLock { $0.accepted } }

    /// Starts a proxy on a free port of `listenHost` (loopback unless told otherwise, e.g. the
    /// address of a veth end for a client in a network namespace) that relays to `host`:`port`.
    ///
    /// - Throws: NIO's error when the port cannot be bound.
    public static func start(to host: String, port: Int, listeningOn listenHost: String = "127.0.0.1") async throws -> PGFaultProxy {
        let shared = Shared(targetHost: host, targetPort: port)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { client in
                ProxyConnection.relay(client, shared: shared)
            }
            .bind(host: listenHost, port: 0).get()
        guard let bound = listener.localAddress?.port else {
            try? await listener.close()
            throw ChannelError.unknownLocalAddress
        }
        return PGFaultProxy(host: listenHost, port: bound, listener: listener, shared: shared)
    }

    /// How many accepted connections wait, unrelayed, for ``releaseNewConnections()``.
    public var heldConnections: Int { shared.state.withLock { $0.held.count } }

    /// Holds every connection accepted from now on: it is not relayed (no connection to the
    /// server, its client's bytes unread, as behind a slow route) until
    /// ``releaseNewConnections()``. Connections relayed already go on as before. For tests that
    /// need a second connection's message (a CancelRequest) to arrive only after something
    /// else happened.
    public func holdNewConnections() {
        shared.state.withLock { $0.holdingNewConnections = true }
    }

    /// Relays the connections held by ``holdNewConnections()``, and every new one from now on.
    public func releaseNewConnections() {
        for connection in shared.stopHolding() { connection.succeed() }
    }

    /// Closes (`.close`) or resets (`.reset`) every relayed connection now; `.stall` silences them.
    public func breakConnections(_ action: PGFaultAction) {
        for connection in shared.state.withLock({ Array($0.connections.values) }) {
            connection.breakLink(action)
        }
    }

    /// Stops listening and closes every relayed connection.
    public func stop() async {
        try? await listener.close()
        for connection in shared.stopHolding() { connection.fail(ChannelError.ioOnClosedChannel) }
        breakConnections(.close)
    }
}
