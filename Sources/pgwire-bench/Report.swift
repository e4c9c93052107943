/// The results of one benchmark run: every run of every workload on both sides.
struct Report: Sendable {
    struct Row: Sendable {
        let workload: Workload
        var ours = RunSeries()
        var libpq = RunSeries()
        /// This process's peak RSS (KiB) before and after our side's runs of the workload.
        var peakRSSBefore = 0
        var peakRSSAfter = 0

        /// Our median rate over libpq's, when both exist.
        var ratio: Double? {
            guard let ours = ours.median, let libpq = libpq.median, libpq.rate > 0 else { return nil }
            return ours.rate / libpq.rate
        }
    }

    var rows: [Row]
    let withLibpq: Bool
    let repeatCount: Int
    let pipelineName: String

    /// `WORKLOAD`/`SKIPPED` lines for our side, then `LIBPQ` lines, as the issue specifies.
    var summaryLines: [String] {
        var lines: [String] = []
        for row in rows {
            if let median = row.ours.median {
                lines.append("WORKLOAD name=\(row.workload.rawValue) \(Self.fields(median))")
            } else {
                lines.append("SKIPPED name=\(row.workload.rawValue) reason=<\(row.ours.problem ?? "no runs")>")
            }
        }
        guard withLibpq else { return lines }
        for row in rows {
            if let median = row.libpq.median {
                lines.append("LIBPQ name=\(row.workload.rawValue) \(Self.fields(median)) form=\"\(LibpqWorkloads.form(of: row.workload))\"")
            } else {
                lines.append("LIBPQ_SKIPPED name=\(row.workload.rawValue) reason=<\(row.libpq.problem ?? "no runs")>")
            }
        }
        return lines
    }

    /// The Markdown table: medians, the spread of the runs, the ratio and the libpq form.
    var markdownTable: String {
        var lines = [
            "| workload | form | unit | pgwire-swift /s (min–max) | libpq /s (min–max) | ratio ours/libpq | client CPU µs/op ours / libpq | context switches/op ours / libpq | libpq form |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in rows {
            let ratio = row.ratio.map { Self.format($0, decimals: 2) } ?? "–"
            let libpqForm = withLibpq ? LibpqWorkloads.form(of: row.workload) : "not run"
            let cpu = "\(Self.medianCell(row.ours, \.cpuMicrosPerOp, decimals: 1)) / \(withLibpq ? Self.medianCell(row.libpq, \.cpuMicrosPerOp, decimals: 1) : "–")"
            let switches = "\(Self.medianCell(row.ours, \.switchesPerOp, decimals: 2)) / \(withLibpq ? Self.medianCell(row.libpq, \.switchesPerOp, decimals: 2) : "–")"
            lines.append("| `\(row.workload.rawValue)` | \(row.workload.form.rawValue) | \(row.workload.unit) | \(Self.cell(row.ours)) | \(withLibpq ? Self.cell(row.libpq) : "–") | \(ratio) | \(cpu) | \(switches) | \(libpqForm) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Peak-memory lines: the whole process, and decode_1m's own when it ran.
    var memoryLines: [String] {
        var lines = ["PEAK_RSS process_kib=\(peakRSSKiB())"]
        if let decode = rows.first(where: { $0.workload == .decode1M }), decode.ours.median != nil {
            var line = "PEAK_RSS name=decode_1m ours_kib=\(decode.peakRSSAfter) ours_before_kib=\(decode.peakRSSBefore)"
            if let libpq = decode.libpq.measurements.compactMap(\.peakRSSKiB).max() { line += " libpq_kib=\(libpq)" }
            lines.append(line)
        }
        return lines
    }

    /// `pool_64x_pinned`'s lease overhead (medians over its runs), when it ran.
    var poolLines: [String] {
        guard let pool = rows.first(where: { $0.workload == .pool64xPinned }) else { return [] }
        let overheads = pool.ours.measurements.compactMap(\.poolLeaseOverhead)
        guard !overheads.isEmpty else { return [] }
        let contended = median(overheads.map(\.contendedMicros))
        let uncontended = median(overheads.map(\.uncontendedMicros))
        return [
            "POOL_OVERHEAD name=pool_64x_pinned acquire_release_us=\(Self.format(contended, decimals: 2)) "
                + "uncontended_us=\(Self.format(uncontended, decimals: 2)) "
                + "(withConnection with an empty body: \(PoolShape.tasks) tasks over \(PoolShape.connections) connections, and one task alone)"
        ]
    }

    /// The hops measured alone beside the time per statement of the workload they belong to
    /// (medians over its runs): `select1_seq`'s round trip, and `pipeline_100`'s concurrent
    /// tasks, for the workloads that ran.
    var hopLines: [String] {
        let explained: [(Workload, String)] = [
            (.select1Seq, "an empty job from a task on the global executor to the connection's event loop and back: the two hops a default-path statement adds"),
            (.pipeline100, "\(PipelineShape.batchSize) concurrent tasks a group at a time, each an empty job to the connection's event loop and back: what the tasks and their hops cost per statement, with no socket"),
        ]
        return explained.compactMap { workload, meaning in
            guard let row = rows.first(where: { $0.workload == workload }) else { return nil }
            let hops = row.ours.measurements.compactMap(\.hopRoundTrip)
            guard !hops.isEmpty else { return nil }
                var line = "HOP_LATENCY name=\(workload.rawValue) round_trip_us=\(Self.format(median(hops.map(\.micros)), decimals: 1)) "
                + "switches=\(Self.format(median(hops.map(\.switches)), decimals: 2)) "
                + "cpu_us=\(Self.format(median(hops.map(\.cpuMicros)), decimals: 1))"
            let perQuery = { (series: RunSeries) in series.median.map { 1e6 / $0.rate } }
            if let ours = perQuery(row.ours) { line += " ours_us_per_query=\(Self.format(ours, decimals: 1))" }
            if let libpq = perQuery(row.libpq) { line += " libpq_us_per_query=\(Self.format(libpq, decimals: 1))" }
            return line + " (\(meaning))"
        }
    }

    private static func fields(_ measurement: Measurement) -> String {
        var text = "ops=\(measurement.ops) seconds=\(format(measurement.seconds, decimals: 4)) rate=\(format(measurement.rate, decimals: 1))"
        if let cpu = measurement.cpuMicrosPerOp { text += " cpu_us_per_op=\(format(cpu, decimals: 2))" }
        if let switches = measurement.switchesPerOp { text += " switches_per_op=\(format(switches, decimals: 2))" }
        return text
    }

    /// The median over the runs of a per-operation figure (each run's own, not the median
    /// run's), such as client CPU or context switches.
    private static func medianCell(_ series: RunSeries, _ figure: KeyPath<Measurement, Double?>, decimals: Int) -> String {
        let values = series.measurements.compactMap { $0[keyPath: figure] }.sorted()
        return values.isEmpty ? "–" : format(values[(values.count - 1) / 2], decimals: decimals)
    }

    private static func cell(_ series: RunSeries) -> String {
        guard let median = series.median, let slowest = series.slowest, let fastest = series.fastest else {
            return series.wasSkipped ? "skipped" : "failed"
        }
        return "\(format(median.rate, decimals: 0)) (\(format(slowest.rate, decimals: 0))–\(format(fastest.rate, decimals: 0)))"
    }

    /// Fixed-point text without Foundation's locale-dependent formatting.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(whole)" }
        let digits = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }
}

/// The middle value of `values` (the lower middle one for an even count); 0 when empty.
func median(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.sorted()[(values.count - 1) / 2]
}
