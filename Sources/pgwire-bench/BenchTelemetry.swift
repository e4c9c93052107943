import ArgumentParser
import InMemoryTracing
import Synchronization
import Tracing

/// Where the driver's spans go in a run (`--telemetry`): nowhere, as with no tracer bootstrapped
/// (the default, the measured path), or to a tracer, to measure what tracing costs.
enum BenchTelemetry: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// No tracer: the process-wide one, which nothing bootstrapped (the no-op tracer).
    case off
    /// A tracer that records each span's name and attributes and drops the span at its end: the
    /// driver's own cost of tracing (naming, attributes, the text without literals).
    case tracer
    /// swift-distributed-tracing's `InMemoryTracer`, which keeps every finished span (cleared
    /// after each run).
    case inMemory = "in-memory"

    /// The tracer the connections and pools of a run get.
    var tracer: (any Tracer)? {
        switch self {
        case .off: nil
        case .tracer: DiscardingTracer()
        case .inMemory: InMemoryTracer()
        }
    }
}

/// A tracer whose spans keep their attributes until they end, then vanish (an exporter that
/// sends nothing).
struct DiscardingTracer: Tracer {
    func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> DiscardingSpan {
        DiscardingSpan(operationName: operationName, context: context())
    }

    func forceFlush() {}

    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {}

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {}
}

/// A span of ``DiscardingTracer``.
final class DiscardingSpan: Span {
    private struct State {
        var operationName: String
        var attributes = SpanAttributes()
        var status: SpanStatus?
        var isRecording = true
    }

    let context: ServiceContext
    private let state: Mutex<State>

    init(operationName: String, context: ServiceContext) {
        self.context = context
        self.state = Mutex(State(operationName: operationName))
    }

    var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { $0.operationName = newValue } }
    }

    var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { $0.attributes = newValue } }
    }

    var isRecording: Bool { state.withLock { $0.isRecording } }

    func setStatus(_ status: SpanStatus) { state.withLock { $0.status = status } }
    func addEvent(_ event: SpanEvent) {}
    func addLink(_ link: SpanLink) {}
    func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {}
    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        state.withLock { $0.isRecording = false }
    }
}
