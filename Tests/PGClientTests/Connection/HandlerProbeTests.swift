import NIOCore
import NIOEmbedded
import PGClient
import PGWire
import Testing

/// `PGHandlerProbe`, the handler without a socket that `pgwire-bench --no-socket` measures: a
/// query written through it reaches the server's side as the connection writes it, and its rows
/// come back once the answer has been read.
@Suite("Handler probe: the connection's handler without a socket")
struct HandlerProbeTests {
    static func bytes(_ messages: [BackendMessage]) -> ByteBuffer {
        var bytes = ByteBuffer()
        for message in messages { message.encode(into: &bytes) }
        return bytes
    }

    static func written(_ channel: EmbeddedChannel) throws -> [String] {
        var decoder = FrontendMessageDecoder()
        decoder.expectsStartupMessage = false
        var names: [String] = []
        while var bytes = try channel.readOutbound(as: ByteBuffer.self) {
            while let message = try decoder.decode(from: &bytes) { names.append(message.name) }
        }
        return names
    }

    @Test func aQueryIsWrittenAndItsRowsComeBackOnceTheAnswerIsRead() throws {
        let channel = EmbeddedChannel()
        let probe = try PGHandlerProbe(addingTo: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5432)).wait()
        #expect(try channel.readOutbound(as: ByteBuffer.self) != nil)  // the startup message
        let ready = BackendMessage.readyForQuery(.init(transactionStatus: .idle))
        try channel.writeInbound(Self.bytes([
            .authentication(.ok), .backendKeyData(.init(processID: 1, secretKey: [0, 0, 0, 1])), ready,
        ]))
        try probe.connected.wait()

        let columns = BackendMessage.RowDescription(columns: [.init(name: "n", dataType: .int4, dataTypeSize: 4, format: .binary)])
        let row = BackendMessage.dataRow(.init(columns: [ByteBuffer(integer: Int32(41))]))
        let tag = BackendMessage.commandComplete(.init(tag: "SELECT 1"))
        let first = probe.query("SELECT \(Int32(41))::int4")
        #expect(try Self.written(channel) == ["Parse", "Bind", "Describe", "Execute", "Sync"])
        #expect(try first.rows() == nil)
        try channel.writeInbound(Self.bytes([.parseComplete, .bindComplete, .rowDescription(columns), row, tag, ready]))
        #expect(try first.rows()?.map { try $0.decode(Int32.self, at: 0) } == [41])

        // Run again: bound by name, its columns known from the cache.
        let again = probe.query("SELECT \(Int32(42))::int4")
        #expect(try Self.written(channel) == ["Bind", "Execute", "Sync"])
        try channel.writeInbound(Self.bytes([.bindComplete, row, tag, ready]))
        #expect(try again.rows()?.count == 1)
    }

    @Test func aFailedQueryThrowsItsError() throws {
        let channel = EmbeddedChannel()
        let probe = try PGHandlerProbe(addingTo: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5432)).wait()
        _ = try channel.readOutbound(as: ByteBuffer.self)
        let ready = BackendMessage.readyForQuery(.init(transactionStatus: .idle))
        try channel.writeInbound(Self.bytes([.authentication(.ok), ready]))
        try probe.connected.wait()

        let failed = probe.query("SELECT nope")
        _ = try Self.written(channel)
        try channel.writeInbound(Self.bytes([
            .errorResponse(.init(fields: [.severity: "ERROR", .sqlState: "42703", .message: "column \"nope\" does not exist"])),
            ready,
        ]))
        #expect(throws: PGError.self) { try failed.rows() }
    }
}
