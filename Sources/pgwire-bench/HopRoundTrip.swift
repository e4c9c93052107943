import NIOCore
import PGClient

/// What the default path's two thread hops cost by themselves: a task on Swift's global
/// executor hands an empty job to the connection's event loop and awaits it — no socket, no
/// server. A statement off the event loop makes the same two hops (the request to the event
/// loop, the result back to the task), on top of the wait for the socket that libpq's blocking
/// call has too; this figure beside `select1_seq`'s time per query shows how much of the gap
/// to libpq they are.
struct HopRoundTrip: Sendable {
    /// Microseconds per round trip (two hops).
    var micros: Double
    /// Context switches of the process per round trip.
    var switches: Double
    /// Client CPU microseconds per round trip.
    var cpuMicros: Double

    /// The number of round trips a measurement makes.
    static let roundTrips = 20_000

    /// Measures from the calling task, which must run on the global executor.
    static func measure(on eventLoop: any EventLoop) async throws -> HopRoundTrip {
        var sum = 0
        let measurement = try await timed(roundTrips) {
            for i in 0..<roundTrips { sum &+= try await eventLoop.submit { i }.get() }
        }
        guard sum == (0..<roundTrips).reduce(0, &+) else { throw BenchError("a hop lost its value") }
        return HopRoundTrip(
            micros: measurement.seconds * 1e6 / Double(roundTrips),
            switches: measurement.switchesPerOp ?? 0,
            cpuMicros: measurement.cpuMicrosPerOp ?? 0)
    }
}
