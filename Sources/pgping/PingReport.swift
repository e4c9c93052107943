import Foundation

/// Prints attempts as text lines or JSON objects, and the summary of several attempts.
struct PingReport {
    let json: Bool
    let quiet: Bool
    private(set) var results: [PingAttempt.Result] = []

    init(json: Bool, quiet: Bool) {
        self.json = json
        self.quiet = quiet
    }

    /// The exit code: the last attempt's outcome.
    var exitCode: Int32 { results.last?.outcome.rawValue ?? PingOutcome.noAttempt.rawValue }

    mutating func print(_ result: PingAttempt.Result) {
        results.append(result)
        guard !quiet else { return }
        Swift.print(json ? Self.json(result) : Self.line(result))
    }

    func printSummary() {
        guard !quiet, results.count > 1 else { return }
        let times = results.compactMap { $0.outcome == .accepting ? $0.totalMilliseconds : nil }.sorted()
        let accepted = times.count
        if json {
            let summary = SummaryJSON.Summary(
                attempts: results.count, accepting: accepted, minimum: times.first.map(roundedToHundredths),
                median: times.isEmpty ? nil : roundedToHundredths(Self.median(times)),
                maximum: times.last.map(roundedToHundredths))
            Swift.print(Self.encode(SummaryJSON(summary: summary)))
        } else if let first = times.first, let last = times.last {
            Swift.print(String(
                format: "%d/%d accepting, round trip min/median/max = %.2f/%.2f/%.2f ms",
                accepted, results.count, first, Self.median(times), last))
        } else {
            Swift.print("0/\(results.count) accepting")
        }
    }

    static func line(_ result: PingAttempt.Result) -> String {
        var parts = ["\(result.address) - \(result.outcome.words)"]
        if let version = result.serverVersion { parts.append("server=\(version)") }
        parts.append("tls=\(result.tlsDescription ?? "none")")
        if let auth = result.authenticationMethod { parts.append("auth=\(auth)") }
        if let connect = result.connectMilliseconds { parts.append(String(format: "connect=%.2fms", connect)) }
        if let query = result.queryMilliseconds { parts.append(String(format: "rtt=%.2fms", query)) }
        if let error = result.error { parts.append("error=\"\(error.replacingOccurrences(of: "\n", with: " "))\"") }
        return parts.joined(separator: " ")
    }

    static func json(_ result: PingAttempt.Result) -> String { encode(AttemptJSON(result: result)) }

    /// One line of JSON with sorted keys; `{}` only if encoding failed, which plain values cannot.
    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func median(_ sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

extension PingAttempt.Result {
    /// Connect plus query time: the whole round trip of the check.
    var totalMilliseconds: Double? {
        guard let connect = connectMilliseconds else { return nil }
        return connect + (queryMilliseconds ?? 0)
    }
}

extension PingAttempt.Result {
    /// The TLS version in use, `failed` when the server's certificate failed verification, or
    /// `nil` for a session without TLS.
    var tlsDescription: String? { tlsFailed ? "failed" : tlsVersion }
}
