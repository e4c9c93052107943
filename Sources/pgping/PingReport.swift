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
            var object: [String: Any] = ["attempts": results.count, "accepting": accepted]
            if let first = times.first, let last = times.last {
                object["min_ms"] = Self.round(first)
                object["median_ms"] = Self.round(Self.median(times))
                object["max_ms"] = Self.round(last)
            }
            Swift.print(Self.encode(["summary": object]))
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
        parts.append("tls=\(result.tlsVersion ?? "none")")
        if let auth = result.authenticationMethod { parts.append("auth=\(auth)") }
        if let connect = result.connectMilliseconds { parts.append(String(format: "connect=%.2fms", connect)) }
        if let query = result.queryMilliseconds { parts.append(String(format: "rtt=%.2fms", query)) }
        if let error = result.error { parts.append("error=\"\(error.replacingOccurrences(of: "\n", with: " "))\"") }
        return parts.joined(separator: " ")
    }

    static func json(_ result: PingAttempt.Result) -> String {
        var object: [String: Any] = [
            "address": result.address, "outcome": result.outcome.words, "exit_code": Int(result.outcome.rawValue),
            "tls": result.tlsVersion ?? NSNull(),
        ]
        object["server_version"] = result.serverVersion
        object["auth"] = result.authenticationMethod
        object["connect_ms"] = result.connectMilliseconds.map(round)
        object["rtt_ms"] = result.queryMilliseconds.map(round)
        object["error"] = result.error
        object["sqlstate"] = result.sqlState
        return encode(object)
    }

    private static func encode(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }

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
