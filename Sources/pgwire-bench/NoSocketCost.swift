#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOEmbedded
import PGClient
import PGWire

/// The driver's own work per statement, with no socket, server or thread hop: `param_seq`'s
/// statement (`SELECT $1::int4`, its plan cached) through the connection's handler on an
/// `EmbeddedChannel`, the server's recorded answer fed back, the row decoded — in one thread,
/// so that its CPU time moves with the driver's code and little else. A change of a few
/// percent that a socket workload's spread hides shows here (`--no-socket`).
enum NoSocketCost {
    /// What one run measured.
    struct Run {
        let statements: Int
        /// CPU time of the measuring thread per statement, in microseconds.
        let cpuMicros: Double
    }

    /// Runs `statements` statements, after a warm-up.
    static func measure(statements: Int) throws -> Run {
        let channel = EmbeddedChannel()
        let probe = try PGHandlerProbe(addingTo: channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5432)).wait()
        _ = try channel.readOutbound(as: ByteBuffer.self)  // the startup message
        try channel.writeInbound(answer([
            .authentication(.ok), .backendKeyData(.init(processID: 1, secretKey: [0, 0, 0, 1])), ready,
        ]))
        try probe.connected.wait()
        // The first run parses and describes the statement; the cache has it from then on.
        let first = answer([.parseComplete, .bindComplete, .rowDescription(columns), row, tag, ready])
        let cached = answer([.bindComplete, row, tag, ready])
        var sum = try run(probe, on: channel, answer: first, statement: 0)
        for index in 1..<1_000 { sum &+= try run(probe, on: channel, answer: cached, statement: index) }
        let start = threadCPUSeconds()
        for index in 0..<statements { sum &+= try run(probe, on: channel, answer: cached, statement: index) }
        let seconds = threadCPUSeconds() - start
        guard sum != 0 else { throw BenchError("no-socket: no row was decoded") }
        _ = try? channel.finish()
        return Run(statements: statements, cpuMicros: seconds * 1e6 / Double(statements))
    }

    /// One statement: written, answered, its row decoded.
    private static func run(
        _ probe: PGHandlerProbe, on channel: EmbeddedChannel, answer: ByteBuffer, statement index: Int
    ) throws -> Int {
        let result = probe.query("SELECT \(Int32(truncatingIfNeeded: index))::int4")
        while try channel.readOutbound(as: ByteBuffer.self) != nil {}
        try channel.writeInbound(answer)
        guard let rows = try result.rows(), let first = rows.first else {
            throw BenchError("no-socket: the statement's answer did not complete it")
        }
        return Int(try first.decode(Int32.self, at: 0))
    }

    private static let columns = BackendMessage.RowDescription(columns: [
        .init(name: "int4", dataType: .int4, dataTypeSize: 4, format: .binary)
    ])
    private static let row = BackendMessage.dataRow(.init(columns: [ByteBuffer(integer: Int32(7))]))
    private static let tag = BackendMessage.commandComplete(.init(tag: "SELECT 1"))
    private static let ready = BackendMessage.readyForQuery(.init(transactionStatus: .idle))

    private static func answer(_ messages: [BackendMessage]) -> ByteBuffer {
        var bytes = ByteBuffer()
        for message in messages { message.encode(into: &bytes) }
        return bytes
    }

    /// CPU time of the calling thread, in seconds.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
