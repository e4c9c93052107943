import Logging
import Tracing

/// What one connection reports its requests with: its telemetry, where it is connected, and the
/// timers of its operations.
struct PGInstrumentation: Sendable {
    let telemetry: PGTelemetry
    let server: PGServerIdentity
    /// `db.client.operation.duration`; `nil` when metrics are off.
    let metrics: PGOperationMetrics?
    /// Whether a tracer or a metrics factory observes requests: the one test a request makes
    /// when neither does.
    let isActive: Bool

    init(telemetry: PGTelemetry, server: PGServerIdentity) {
        self.telemetry = telemetry
        self.server = server
        self.metrics = telemetry.metricsFactory.map { PGOperationMetrics(factory: $0, server: server) }
        self.isActive = telemetry.tracer != nil || metrics != nil
    }
}

extension PGConnection {
    /// Starts observing a request — its span, its duration, its log lines — or returns `nil`
    /// when nothing would observe it: no tracer, no metrics, no logger given, and the
    /// connection's logger above `debug`. Then `operation` is not even built.
    @inline(__always)
    func observe(_ operation: @autoclosure () -> PGOperation, logger: Logger?) -> PGOperationObserver? {
        guard observes(logger: logger) else { return nil }
        return PGOperationObserver(operation(), requestLogger: logger, connection: self)
    }

    /// Whether ``observe(_:logger:)`` would observe a request given `logger`: a caller that must
    /// set up something first for the observation (a pooled statement, its caller's context)
    /// asks this so that it sets up nothing when nothing would observe.
    @inline(__always)
    func observes(logger: Logger?) -> Bool {
        instrumentation.isActive || logger != nil || self.logger.logLevel <= .debug
    }

    /// Runs a request that is over when `body` returns, and ends its observer with the outcome:
    /// what `body` threw, or the failure `failure` finds in its result.
    nonisolated(nonsending) func observing<Result>(
        _ observer: PGOperationObserver?, failure: (Result) -> (any Error)? = { _ in nil },
        _ body: nonisolated(nonsending) () async throws -> Result
    ) async throws -> Result {
        guard let observer else { return try await body() }
        do {
            let result = try await body()
            observer.end(failure(result))
            return result
        } catch {
            observer.end(error)
            throw error
        }
    }

    /// The logger a request's lines go to: the caller's, with the connection id, or the
    /// connection's own.
    func requestLogger(_ logger: Logger?) -> Logger {
        guard var logger else { return self.logger }
        logger[metadataKey: "pg.connection.id"] = "\(id)"
        return logger
    }
}

/// The first failure of a pipeline's statements (the first that was not merely skipped because
/// of it), which the pipeline's span and metrics report.
func firstFailure(_ results: [Result<PGResultSet, PGError>]) -> (any Error)? {
    for result in results {
        if case .failure(let error) = result, error.kind != .skipped { return error }
    }
    return nil
}
