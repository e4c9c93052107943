#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import NIOCore
import NIOEmbedded
import PGClient
import PGWire

/// The driver's own work per statement, with no socket, server or thread hop: `param_seq`'s
/// statement (`SELECT $1::int4`, its plan cached) through the connection's handler on an
/// `EmbeddedChannel`, the server's recorded answer fed back, the row decoded — in one thread,
/// so that its CPU time moves with the driver's code and little else. A change of a few
/// percent that a socket workload's spread hides shows here (`--no-socket`).
///
/// Measured twice: warm, statement after statement, and cold, with the caches emptied before
/// each statement, as a statement between two sleeps of its thread finds them (the server and
/// the kernel ran meanwhile).
enum NoSocketCost {
    /// Which measurements `--no-socket` runs.
    enum Runs: String, CaseIterable, Sendable, ExpressibleByArgument {
        case both, warm, cold
    }

    /// What one warm run measured.
    struct Run {
        let statements: Int
        /// CPU time of the measuring thread per statement, in microseconds.
        let cpuMicros: Double
    }

    /// Runs `statements` statements back to back, after a warm-up.
    static func measure(statements: Int) throws -> Run {
        let harness = try Harness()
        var sum = 0
        let start = threadCPUSeconds()
        for index in 0..<statements { sum &+= try harness.run(statement: index) }
        let seconds = threadCPUSeconds() - start
        guard sum != 0 else { throw BenchError("no-socket: no row was decoded") }
        return Run(statements: statements, cpuMicros: seconds * 1e6 / Double(statements))
    }

    /// Runs `statements` statements, reading a buffer larger than the second-level cache before
    /// each, and returns the median time of a statement in microseconds (the clock read around
    /// the statement alone; a statement the scheduler interrupted is an outlier the median
    /// ignores).
    static func measureCold(statements: Int) throws -> Double {
        let harness = try Harness()
        let evictor = [UInt8](repeating: 1, count: coldBufferBytes)
        var sum = 0
        var micros: [Double] = []
        micros.reserveCapacity(statements)
        for index in 0..<statements {
            sum &+= evict(evictor)
            let start = ContinuousClock.now
            sum &+= try harness.run(statement: index)
            let elapsed = ContinuousClock.now - start
            micros.append(elapsed / .microseconds(1))
        }
        guard sum != 0 else { throw BenchError("no-socket: no row was decoded") }
        return median(micros)
    }

    /// Twice the second-level cache of the machines this runs on (1 MiB per core).
    private static let coldBufferBytes = 2 << 20

    /// Reads one byte of every cache line of `buffer`. Never inlined, so that counting cache
    /// misses by function (Scripts/bench-instructions.sh) can leave its own out.
    @inline(never)
    private static func evict(_ buffer: [UInt8]) -> Int {
        buffer.withUnsafeBufferPointer { bytes in
            var sum = 0
            for offset in stride(from: 0, to: bytes.count, by: 64) { sum &+= Int(bytes[offset]) }
            return sum
        }
    }

    /// A connected handler on an embedded channel, its statement parsed and run a thousand times.
    private struct Harness {
        let channel: EmbeddedChannel
        let probe: PGHandlerProbe
        /// The server's answer to the statement once its plan is cached.
        let cached = answer([.bindComplete, row, tag, ready])

        init() throws {
            channel = EmbeddedChannel()
            probe = try PGHandlerProbe(addingTo: channel)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5432)).wait()
            _ = try channel.readOutbound(as: ByteBuffer.self)  // the startup message
            try channel.writeInbound(answer([
                .authentication(.ok), .backendKeyData(.init(processID: 1, secretKey: [0, 0, 0, 1])), ready,
            ]))
            try probe.connected.wait()
            // The first run parses and describes the statement; the cache has it from then on.
            _ = try run(statement: 0, answer: answer([.parseComplete, .bindComplete, .rowDescription(columns), row, tag, ready]))
            for index in 1..<1_000 { _ = try run(statement: index) }
        }

        /// One statement: written, answered, its row decoded.
        func run(statement index: Int) throws -> Int {
            try run(statement: index, answer: cached)
        }

        private func run(statement index: Int, answer: ByteBuffer) throws -> Int {
            let result = probe.query("SELECT \(Int32(truncatingIfNeeded: index))::int4")
            while try channel.readOutbound(as: ByteBuffer.self) != nil {}
            try channel.writeInbound(answer)
            guard let rows = try result.rows(), let first = rows.first else {
                throw BenchError("no-socket: the statement's answer did not complete it")
            }
            return Int(try first.decode(Int32.self, at: 0))
        }
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
