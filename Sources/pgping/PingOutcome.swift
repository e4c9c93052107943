import PGClient

/// The result of one attempt, with pg_isready's exit codes (0–3) and one of our own (4).
enum PingOutcome: Int32, Sendable {
    /// The server accepted the session and the check query succeeded.
    case accepting = 0
    /// The server answered that it is not accepting sessions (starting up, shutting down, too
    /// many connections).
    case rejecting = 1
    /// No answer: refused, unreachable, or timed out.
    case noResponse = 2
    /// Nothing was tried: bad arguments or connection string.
    case noAttempt = 3
    /// The server was reached but the check failed: authentication, TLS verification, unknown
    /// database, protocol violation, or the query failed.
    case checkFailed = 4

    /// The words pg_isready prints for its codes, and ours for code 4.
    var words: String {
        switch self {
        case .accepting: "accepting connections"
        case .rejecting: "rejecting connections"
        case .noResponse: "no response"
        case .noAttempt: "no attempt"
        case .checkFailed: "check failed"
        }
    }

    /// SQLSTATEs with which a server says it takes no sessions now.
    static let rejectingStates: Set<SQLState> = [.cannotConnectNow, .tooManyConnections]

    /// Classifies a failed attempt.
    ///
    /// - Parameter noAuth: pg_isready's rule: any answer from the server other than
    ///   "cannot connect now" means it is up.
    static func classify(_ error: PGError, noAuth: Bool) -> PingOutcome {
        if let state = error.sqlState {
            if noAuth { return state == .cannotConnectNow ? .rejecting : .accepting }
            return rejectingStates.contains(state) ? .rejecting : .checkFailed
        }
        switch error.kind {
        case .connectionFailed, .timeout, .connectionClosed:
            return .noResponse
        case .configuration, .invalidUsage:
            return .noAttempt
        case .authentication:
            // The server asked for authentication, so it is up.
            return noAuth ? .accepting : .checkFailed
        case .tls:
            return noAuth ? .noResponse : .checkFailed
        default:
            return .checkFailed
        }
    }
}
