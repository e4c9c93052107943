/// The JSON object `--json` prints for one attempt (keys as pg_isready's words, snake case).
struct AttemptJSON: Encodable {
    let result: PingAttempt.Result

    enum CodingKeys: String, CodingKey {
        case address, outcome, exitCode = "exit_code", tls, serverVersion = "server_version", auth
        case connectMilliseconds = "connect_ms", roundTripMilliseconds = "rtt_ms", error, sqlState = "sqlstate"
    }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(result.address, forKey: .address)
        try object.encode(result.outcome.words, forKey: .outcome)
        try object.encode(Int(result.outcome.rawValue), forKey: .exitCode)
        // `tls` is always there: the version, "failed" when verification failed, or null.
        try object.encode(result.tlsDescription, forKey: .tls)
        try object.encodeIfPresent(result.serverVersion, forKey: .serverVersion)
        try object.encodeIfPresent(result.authenticationMethod, forKey: .auth)
        try object.encodeIfPresent(result.connectMilliseconds.map(roundedToHundredths), forKey: .connectMilliseconds)
        try object.encodeIfPresent(result.queryMilliseconds.map(roundedToHundredths), forKey: .roundTripMilliseconds)
        try object.encodeIfPresent(result.error, forKey: .error)
        try object.encodeIfPresent(result.sqlState, forKey: .sqlState)
    }
}

/// The JSON object `--json` prints after several attempts: `{"summary": {…}}`.
struct SummaryJSON: Encodable {
    struct Summary: Encodable {
        let attempts: Int
        let accepting: Int
        let minimum: Double?
        let median: Double?
        let maximum: Double?

        enum CodingKeys: String, CodingKey {
            case attempts, accepting, minimum = "min_ms", median = "median_ms", maximum = "max_ms"
        }
    }

    let summary: Summary
}

/// Milliseconds as printed: two decimals.
func roundedToHundredths(_ value: Double) -> Double { (value * 100).rounded() / 100 }
