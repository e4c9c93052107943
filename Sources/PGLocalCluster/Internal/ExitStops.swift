import Foundation

/// The servers to stop when the process exits (``PGLocalCluster/stopAtExit()``,
/// ``PGLocalPgBouncer/stopAtExit()``): one `atexit` handler for all of them, installed with the
/// first.
enum ExitStops {
    /// How long the process waits at exit for its servers to stop.
    static let timeout: DispatchTimeInterval = .seconds(30)

    private static let pending = ExitStopList()

    /// Installs the handler once: a global's initializer runs once, on first use.
    private static let handlerInstalled: Void = {
        atexit { ExitStops.runAtExit() }
    }()

    /// Runs `stop` when the process exits (see ``ExitStopList/runAll()`` for the order).
    static func add(_ stop: @escaping @Sendable () async -> Void) {
        _ = handlerInstalled
        pending.add(stop)
    }

    /// Runs every stop added and waits up to ``timeout`` for them.
    private static func runAtExit() {
        let stopped = DispatchSemaphore(value: 0)
        Task.detached {
            await pending.runAll()
            stopped.signal()
        }
        _ = stopped.wait(timeout: .now() + timeout)
    }
}

/// Stops to run later, each once, the newest first.
final class ExitStopList: Sendable {
    private let stops = LockedValue<[@Sendable () async -> Void]>([])

    /// Adds `stop` to run at the next ``runAll()``.
    func add(_ stop: @escaping @Sendable () async -> Void) {
        stops.withLock { $0.append(stop) }
    }

    /// Runs every stop added so far, the newest first (a PgBouncer before a cluster behind it
    /// that was registered earlier), one after the other, and forgets them.
    func runAll() async {
        let taken = stops.withLock { stops in
            defer { stops = [] }
            return stops
        }
        for stop in taken.reversed() { await stop() }
    }
}
