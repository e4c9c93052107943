import InMemoryTracing
import Logging
import MetricsTestKit
import PGClient
import Synchronization
import Tracing

/// Log lines kept in memory, for tests that check what the driver logs and with which metadata.
final class CapturedLogs: Sendable {
    struct Entry: Sendable {
        var label: String
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    /// The lines whose message contains `text`.
    func lines(containing text: String) -> [Entry] { all.filter { $0.message.contains(text) } }

    /// A logger whose lines (from `level` up) land here.
    func logger(label: String = "captured", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { label in CapturingLogHandler(label: label, logs: self) }
        logger.logLevel = level
        return logger
    }
}

/// A `LogHandler` that appends to ``CapturedLogs``.
struct CapturingLogHandler: LogHandler {
    let label: String
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        logs.append(.init(label: label, level: event.level, message: "\(event.message)", metadata: merged))
    }
}

extension Logger.MetadataValue {
    /// The value as text (`"x"` for `.string("x")`, `"\(x)"` for `.stringConvertible(x)`).
    var text: String { "\(self)" }
}

extension SpanAttributes {
    /// A string attribute's value.
    func string(_ key: String) -> String? {
        switch get(key) {
        case .string(let value)?: value
        default: nil
        }
    }

    /// An integer attribute's value.
    func int(_ key: String) -> Int64? {
        switch get(key) {
        case .int64(let value)?: value
        case .int32(let value)?: Int64(value)
        default: nil
        }
    }
}

extension InMemoryTracer {
    /// The finished spans named `name`.
    func finished(_ name: String) -> [FinishedInMemorySpan] {
        finishedSpans.filter { $0.operationName == name }
    }
}

/// Connections and pools that report to a tracer, a metrics factory and a logger of the test's
/// own: the process-wide systems are never bootstrapped, so tests run in parallel.
enum Observed {
    /// A connection to the simple-test server with this telemetry.
    static func connect(
        tracer: (any Tracer)? = nil, metrics: TestMetrics? = nil, logger: Logger = Logger(label: "observed"),
        noticeLogLevel: Logger.Level = .debug
    ) async throws -> PGConnection {
        let options = PGConnection.Options(tracer: tracer, metricsFactory: metrics, noticeLogLevel: noticeLogLevel)
        return try await PGConnection.connect(config: TestDatabase.config(), options: options, logger: logger)
    }

    /// Runs `body` with such a connection and closes it afterwards.
    @discardableResult
    static func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        tracer: (any Tracer)? = nil, metrics: TestMetrics? = nil, logger: Logger = Logger(label: "observed"),
        noticeLogLevel: Logger.Level = .debug,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await connect(tracer: tracer, metrics: metrics, logger: logger, noticeLogLevel: noticeLogLevel)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
