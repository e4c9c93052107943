import Metrics
import Synchronization

/// `db.client.operation.duration` for one connection: a timer per operation name and outcome,
/// made on first use and kept, so that a query builds no dimensions once its timer exists.
final class PGOperationMetrics: Sendable {
    private struct Key: Hashable {
        var operationName: String?
        var failure: PGErrorTelemetry?
    }

    private let factory: any MetricsFactory
    private let server: [(String, String)]
    private let timers = Mutex<[Key: Metrics.Timer]>([:])

    init(factory: any MetricsFactory, server: PGServerIdentity) {
        self.factory = factory
        self.server = server.dimensions
    }

    /// Records one operation's duration.
    func record(_ duration: Duration, operationName: String?, failure: PGErrorTelemetry?) {
        timer(Key(operationName: operationName, failure: failure)).recordNanoseconds(duration.nanoseconds)
    }

    private func timer(_ key: Key) -> Metrics.Timer {
        if let timer = timers.withLock({ $0[key] }) { return timer }
        var dimensions = server
        if let name = key.operationName { dimensions.append((PGTelemetryNames.operationName, name)) }
        if let failure = key.failure { dimensions.append(contentsOf: failure.dimensions) }
        let made = Metrics.Timer(
            label: PGTelemetryNames.operationDuration, dimensions: dimensions, preferredDisplayUnit: .seconds,
            factory: factory)
        return timers.withLock { timers in
            if let existing = timers[key] { return existing }
            timers[key] = made
            return made
        }
    }
}
