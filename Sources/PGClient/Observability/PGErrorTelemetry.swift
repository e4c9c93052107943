import Tracing

/// How an error is reported: `db.response.status_code` (the SQLSTATE, when the server gave one)
/// and `error.type` (the SQLSTATE, else the kind of client-side failure, else the Swift type).
struct PGErrorTelemetry: Sendable, Hashable {
    var statusCode: String?
    var type: String

    init(_ error: any Error) {
        guard let error = error as? PGError else {
            statusCode = nil
            type = String(reflecting: Swift.type(of: error))
            return
        }
        statusCode = error.serverFields[.sqlState]
        type = statusCode ?? Self.name(of: error.kind)
    }

    /// Marks `span` as failed with `error`: the attributes above, the error recorded, the status.
    func apply(to span: any Span, error: any Error) {
        span.updateAttributes { attributes in
            if let statusCode { attributes[PGTelemetryNames.statusCode] = statusCode }
            attributes[PGTelemetryNames.errorType] = type
        }
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error))
    }

    /// The same, as metric dimensions.
    var dimensions: [(String, String)] {
        var dimensions = [(PGTelemetryNames.errorType, type)]
        if let statusCode { dimensions.append((PGTelemetryNames.statusCode, statusCode)) }
        return dimensions
    }

    /// A low-cardinality name for each kind of client-side failure.
    static func name(of kind: PGError.Kind) -> String {
        switch kind {
        case .server: "server"
        case .connectionClosed: "connection_closed"
        case .connectionFailed: "connection_failed"
        case .protocolViolation: "protocol_violation"
        case .authentication: "authentication"
        case .tls: "tls"
        case .configuration: "configuration"
        case .timeout: "timeout"
        case .cancelled: "cancelled"
        case .encoding: "encoding"
        case .decoding: "decoding"
        case .skipped: "skipped"
        case .transactionRolledBack: "transaction_rolled_back"
        case .commitStateUnknown: "commit_state_unknown"
        case .invalidUsage: "invalid_usage"
        }
    }
}
