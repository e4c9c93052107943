/// One timed run: how many operations it did and how long they took.
struct Measurement: Sendable {
    let ops: Int
    let seconds: Double
    /// The peak resident set size in KiB of the process that did the work, when known.
    var peakRSSKiB: Int?
    /// CPU time (user + system) the client spent: this process for our driver, the child
    /// process (pgbench or a C program, including its start and connection) for libpq.
    var cpuSeconds: Double?
    /// Context switches of the client (the same process or child as ``cpuSeconds``).
    var contextSwitches: Int?
    /// `pool_64x_pinned` only: what a lease costs without a query.
    var poolLeaseOverhead: PoolLeaseOverhead?
    /// `select1_seq` and `pipeline_100` only: what the default path's thread hops (and, for
    /// `pipeline_100`, its concurrent tasks) cost without a query.
    var hopRoundTrip: HopRoundTrip?

    /// Client CPU microseconds per operation, when known.
    var cpuMicrosPerOp: Double? { cpuSeconds.map { ops > 0 ? $0 * 1e6 / Double(ops) : 0 } }

    /// Client context switches per operation, when known.
    var switchesPerOp: Double? { contextSwitches.map { ops > 0 ? Double($0) / Double(ops) : 0 } }

    /// Operations per second.
    var rate: Double { seconds > 0 ? Double(ops) / seconds : 0 }
}

/// What happened when one side ran one workload once.
enum Outcome: Sendable {
    case measured(Measurement)
    case skipped(reason: String)
    case failed(message: String)

    var measurement: Measurement? {
        if case .measured(let measurement) = self { measurement } else { nil }
    }
}

/// Every run of one workload by one side, in the order they ran.
struct RunSeries: Sendable {
    var outcomes: [Outcome] = []

    var measurements: [Measurement] { outcomes.compactMap(\.measurement) }

    /// The run with the median rate (the lower middle one for an even count): a real run, so
    /// its ops and seconds belong together.
    var median: Measurement? {
        let sorted = measurements.sorted { $0.rate < $1.rate }
        return sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2]
    }

    var slowest: Measurement? { measurements.min { $0.rate < $1.rate } }
    var fastest: Measurement? { measurements.max { $0.rate < $1.rate } }

    /// Why there is no measurement: the first skip or failure.
    var problem: String? {
        for outcome in outcomes {
            switch outcome {
            case .measured: continue
            case .skipped(let reason): return reason
            case .failed(let message): return "failed: \(message)"
            }
        }
        return nil
    }

    var wasSkipped: Bool {
        if case .skipped = outcomes.first { true } else { false }
    }
}
