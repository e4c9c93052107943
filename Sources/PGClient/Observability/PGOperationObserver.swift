import Logging
import Synchronization
import Tracing

/// One request under observation: its span (a child of the caller's `ServiceContext`), the time
/// it started, and the logger its lines go to. Ended once — by the call when the request is over,
/// by the row or COPY stream when its last element (or its error) is read, or, for a stream
/// dropped unread, when the last reference goes.
final class PGOperationObserver: Sendable {
    /// Where the request's lines go: the caller's logger (with `pg.connection.id`) or the
    /// connection's.
    let logger: Logger
    private let summary: PGOperationSummary
    private let span: (any Span)?
    private let metrics: PGOperationMetrics?
    private let started: ContinuousClock.Instant?
    private let ended = Atomic<Bool>(false)

    init(_ operation: PGOperation, requestLogger: Logger?, connection: PGConnection) {
        let logger = connection.requestLogger(requestLogger)
        let instrumentation = connection.instrumentation
        let telemetry = instrumentation.telemetry
        let tracing = telemetry.tracer != nil
        let tracesLines = logger.logLevel <= .trace
        let summary = operation.summary(text: tracing || tracesLines, collection: tracing)
        self.logger = logger
        self.summary = summary
        self.metrics = instrumentation.metrics
        self.started = metrics != nil || tracesLines ? .now : nil
        self.span = telemetry.startSpan(
            summary.spanName(namespace: instrumentation.server.namespace), kind: .client, server: instrumentation.server
        ) { attributes in
            if let name = summary.operationName { attributes[PGTelemetryNames.operationName] = name }
            if let table = summary.collectionName { attributes[PGTelemetryNames.collectionName] = table }
            if let text = summary.queryText { attributes[PGTelemetryNames.queryText] = text }
            if let size = summary.batchSize { attributes[PGTelemetryNames.batchSize] = Int64(size) }
        }
    }

    deinit {
        end(nil)
    }

    /// Ends the observation with the request's outcome; later calls do nothing.
    func end(_ error: (any Error)?) {
        guard !ended.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let elapsed = started.map { $0.duration(to: .now) }
        let failure = error.map(PGErrorTelemetry.init)
        if let span {
            if let error, let failure { failure.apply(to: span, error: error) }
            span.end()
        }
        if let metrics, let elapsed {
            metrics.record(elapsed, operationName: summary.operationName, failure: failure)
        }
        if let error {
            logger.debug("PostgreSQL operation failed", metadata: [
                PGTelemetryNames.operationName: "\(summary.operationName ?? "")",
                PGTelemetryNames.errorType: "\(failure?.type ?? "")", "error": "\(error)",
            ])
        } else {
            logger.trace("PostgreSQL operation finished", metadata: [
                PGTelemetryNames.operationName: "\(summary.operationName ?? "")",
                PGTelemetryNames.queryText: "\(summary.queryText ?? "")",
                "duration": "\(elapsed.map { "\($0)" } ?? "")",
            ])
        }
    }
}
