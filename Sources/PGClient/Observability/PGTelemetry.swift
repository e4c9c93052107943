import Logging
import Metrics
import Tracing

/// The tracer and the metrics factory a connection or a pool reports to, settled once — when it
/// connects, or when the pool is made — so that requests never look them up again.
///
/// The process-wide ones (`InstrumentationSystem.tracer`, `MetricsSystem.factory`, which also
/// honour a `withTracer`/`withMetricsFactory` scope around that moment) stand in for those not
/// given. A no-op tracer or factory is kept as `nil`: a request then does no telemetry work at
/// all — no span name, no attributes, no clock reading.
struct PGTelemetry: Sendable {
    /// Where spans go; `nil` when nothing records them.
    let tracer: (any Tracer)?
    /// Where metrics go; `nil` when nothing records them.
    let metricsFactory: (any MetricsFactory)?
    /// The level server notices are logged at.
    let noticeLogLevel: Logger.Level

    init(tracer: (any Tracer)?, metricsFactory: (any MetricsFactory)?, noticeLogLevel: Logger.Level) {
        let tracer = tracer ?? InstrumentationSystem.tracer
        self.tracer = tracer is NoOpTracer ? nil : tracer
        let factory = metricsFactory ?? MetricsSystem.factory
        self.metricsFactory = factory is NOOPMetricsHandler ? nil : factory
        self.noticeLogLevel = noticeLogLevel
    }

    /// The telemetry of a connection with these options.
    init(_ options: PGConnection.Options) {
        self.init(tracer: options.tracer, metricsFactory: options.metricsFactory, noticeLogLevel: options.noticeLogLevel)
    }

    /// A span of `kind`, child of the caller's `ServiceContext`, with the attributes of `server`
    /// and those `attributes` adds (set in one update); `nil` when tracing is off.
    func startSpan(
        _ name: @autoclosure () -> String, kind: SpanKind, server: PGServerIdentity?,
        attributes: (inout SpanAttributes) -> Void = { _ in }
    ) -> (any Span)? {
        guard let tracer else { return nil }
        let span = tracer.startSpan(name(), context: ServiceContext.current ?? .topLevel, ofKind: kind)
        span.updateAttributes { all in
            server?.apply(to: &all)
            attributes(&all)
        }
        return span
    }
}

/// Runs `body` with `span` (if any) as the current `ServiceContext`, so that the spans `body`
/// starts are its children; ends the span, marked failed if `body` throws.
func withCurrentSpan<Result>(
    _ span: (any Span)?, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> Result
) async throws -> Result {
    guard let span else { return try await body() }
    do {
        let result = try await ServiceContext.withValue(span.context, isolation: isolation, operation: body)
        span.end()
        return result
    } catch {
        PGErrorTelemetry(error).apply(to: span, error: error)
        span.end()
        throw error
    }
}
