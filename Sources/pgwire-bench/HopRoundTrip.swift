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

    /// What ``PipelineShape/batchSize`` concurrent tasks cost by themselves, as `pipeline_100`
    /// runs them: each task hands an empty job to the connection's event loop and awaits it, a
    /// task group at a time, so the figures are per task — the tasks, the group and the two
    /// hops, with no socket and no server. Measured from the calling task, on the global executor.
    static func measureConcurrent(on eventLoop: any EventLoop) async throws -> HopRoundTrip {
        let batch = PipelineShape.batchSize
        let tasks = roundTrips * 5
        let measurement = try await timed(tasks) {
            for first in stride(from: 0, to: tasks, by: batch) {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in first..<min(first + batch, tasks) {
                        group.addTask { try await eventLoop.submit { index }.get() == index }
                    }
                    for try await matched in group where !matched { throw BenchError("a hop lost its value") }
                }
            }
        }
        return HopRoundTrip(
            micros: measurement.seconds * 1e6 / Double(tasks),
            switches: measurement.switchesPerOp ?? 0,
            cpuMicros: measurement.cpuMicrosPerOp ?? 0)
    }
}
