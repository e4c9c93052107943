import NIOCore
import NIOPosix

/// The TCP liveness settings of a connection's socket, from ``PGConfig/keepalives`` and
/// ``PGConfig/tcpUserTimeout``: how soon a link that went silent is noticed by the kernel.
struct PGSocketOptions: Sendable, Hashable {
    var keepalives = PGConfig.Keepalives()
    var tcpUserTimeout: Duration?

    /// The bootstrap with these options set (the TCP-level ones for TCP targets only).
    func applied(to bootstrap: ClientBootstrap, isTCP: Bool) -> ClientBootstrap {
        var bootstrap = bootstrap.channelOption(.socketOption(.so_keepalive), value: keepalives.isEnabled ? 1 : 0)
        guard isTCP else { return bootstrap }
        #if os(Linux)
        // <netinet/tcp.h> on Linux: TCP_KEEPIDLE 4, TCP_KEEPINTVL 5, TCP_KEEPCNT 6, TCP_USER_TIMEOUT 18.
        if keepalives.isEnabled {
            if let idle = keepalives.idle { bootstrap = bootstrap.channelOption(Self.tcp(4), value: Self.seconds(idle)) }
            if let interval = keepalives.interval { bootstrap = bootstrap.channelOption(Self.tcp(5), value: Self.seconds(interval)) }
            if let count = keepalives.count { bootstrap = bootstrap.channelOption(Self.tcp(6), value: SocketOptionValue(clamping: max(count, 1))) }
        }
        if let tcpUserTimeout {
            let milliseconds = tcpUserTimeout.components.seconds * 1000 + tcpUserTimeout.components.attoseconds / 1_000_000_000_000_000
            bootstrap = bootstrap.channelOption(Self.tcp(18), value: SocketOptionValue(clamping: milliseconds))
        }
        #endif
        return bootstrap
    }

    static func tcp(_ name: CInt) -> ChannelOptions.Types.SocketOption {
        ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: name))
    }

    /// Whole seconds, at least 1 (the kernel refuses 0).
    private static func seconds(_ duration: Duration) -> SocketOptionValue {
        SocketOptionValue(clamping: max(duration.components.seconds, 1))
    }
}
