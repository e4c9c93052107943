import NIOCore
import Testing

@testable import PGClient

/// libpq's TCP liveness keywords reach the socket, so that a silent link is noticed by the kernel
/// within the bound they set.
@Suite("Socket options")
struct SocketOptionsTests {
    @Test func keepaliveAndUserTimeoutKeywordsAreParsed() throws {
        let config = try PGConfig.isolated(
            "host=db keepalives=1 keepalives_idle=7 keepalives_interval=3 keepalives_count=4 tcp_user_timeout=9000")
        #expect(config.keepalives == PGConfig.Keepalives(isEnabled: true, idle: .seconds(7), interval: .seconds(3), count: 4))
        #expect(config.tcpUserTimeout == .milliseconds(9000))
        #expect(try PGConfig.isolated("host=db tcp_user_timeout=0").tcpUserTimeout == nil)
        #expect(throws: PGConfigError.self) { try PGConfig.isolated("host=db tcp_user_timeout=-1") }
        #expect(throws: PGConfigError.self) { try PGConfig.isolated("host=db tcp_user_timeout=soon") }
    }

    @Test func theSettingsAreOnTheConnectionsSocket() async throws {
        let config = try await TestDatabase.config()
        guard config.hosts.first?.unixSocketPath == nil else { return }  // a socket has no TCP options
        var tuned = config
        tuned.keepalives = PGConfig.Keepalives(isEnabled: true, idle: .seconds(7), interval: .seconds(3), count: 4)
        tuned.tcpUserTimeout = .milliseconds(9000)
        try await PGConnection.withConnection(config: tuned) { (connection: PGConnection) async throws in
            let channel = connection.channel
            #expect(try await channel.getOption(.socketOption(.so_keepalive)).get() != 0)
            #if os(Linux)
            #expect(try await channel.getOption(PGSocketOptions.tcp(4)).get() == 7)
            #expect(try await channel.getOption(PGSocketOptions.tcp(5)).get() == 3)
            #expect(try await channel.getOption(PGSocketOptions.tcp(6)).get() == 4)
            #expect(try await channel.getOption(PGSocketOptions.tcp(18)).get() == 9000)
            #endif
        }
        var off = config
        off.keepalives.isEnabled = false
        try await PGConnection.withConnection(config: off) { (connection: PGConnection) async throws in
            #expect(try await connection.channel.getOption(.socketOption(.so_keepalive)).get() == 0)
        }
    }
}
