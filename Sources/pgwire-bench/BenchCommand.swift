import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import PGClient
import PGLocalCluster

/// `pgwire-bench`: the performance workloads for PGClient, interleaved with libpq's closest
/// equivalent on the same server, reported as ratios.
///
/// ```
/// swift build -c release --static-swift-stdlib --scratch-path .build-bench --product pgwire-bench
/// .build-bench/release/pgwire-bench --with-libpq --svg Docs/benchmarks.svg
/// ```
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgwire-bench",
        abstract: "Benchmark PGClient against libpq (pgbench and small C programs) on the same server.",
        discussion: """
            Without --url, a throwaway PostgreSQL cluster is started and removed afterwards. \
            Each workload runs --repeat times per driver, the drivers alternating, and the \
            medians are compared: absolute rates on shared machines swing with load, ratios \
            measured side by side much less. Build in release mode.
            """)

    @Option(help: "A server to use instead of a throwaway cluster (libpq URI or key=value string).")
    var url: String?

    @Option(help: "Comma-separated workloads (default: all): \(Workload.allCases.map(\.rawValue).joined(separator: ",")).")
    var workloads = ""

    @Flag(help: "Also run libpq's equivalent of each workload (pgbench, or a C program in Benchmarks/).")
    var withLibpq = false

    @Option(name: .customLong("repeat"), help: "Runs per workload and driver; the median counts.")
    var repeatCount = 3

    @Option(help: "Operations per run instead of each workload's default (for short runs, e.g. under valgrind).")
    var ops: Int?

    @Option(help: "sslmode for both drivers (added to --url when it has none); a throwaway cluster gets TLS unless disable.")
    var sslmode = "disable"

    @Option(help: "How the pipelined workloads send their statements: \(BenchPipeline.allCases.map(\.rawValue).joined(separator: " or ")) (one statement with a parameter set each, or separate queries).")
    var pipeline = BenchPipeline.batch

    @Flag(help: "Make NIO's event loop threads Swift's global executor for this process, so awaiting a result does not hop threads (an application's choice; off by default).")
    var nioGlobalExecutor = false

    @Flag(help: "Measure only the driver's own CPU time per statement, with no socket, server or thread hop (param_seq's statement through the connection's handler on an EmbeddedChannel; --repeat runs of --ops statements, default 200000), and nothing else.")
    var noSocket = false

    @Option(help: "Which of --no-socket's measurements run: \(NoSocketCost.Runs.allCases.map(\.rawValue).joined(separator: ", ")) (one alone for counting instructions under valgrind, Scripts/bench-instructions.sh).")
    var noSocketRuns = NoSocketCost.Runs.both

    @Option(help: "Where the driver's spans go: \(BenchTelemetry.allCases.map(\.rawValue).joined(separator: ", ")) (off: no tracer, the default path; tracer: one that drops each span at its end; in-memory: swift-distributed-tracing's InMemoryTracer).")
    var telemetry = BenchTelemetry.off

    @Option(help: "How long a connection's event loop polls for a pinned caller's result instead of sleeping, in microseconds (PGConnection.Options.spinBeforeSleeping; default: the library's, 250). 0 turns it off, as Scripts/bench-instructions.sh does to count instructions.")
    var spinBeforeSleeping: Int?

    @Option(help: "How long a caller off the event loop (the default path) polls for its result on its own thread before it sleeps, in microseconds (PGConnection.Options.callerSpinBeforeSleeping; default: the library's, 250). 0 turns it off, as Scripts/bench-instructions.sh does to count instructions.")
    var callerSpin: Int?

    @Option(help: "Write a bar chart of the ratios (SVG) to this file.")
    var svg: String?

    @Option(help: "The pgbench executable (default: $PGWIRE_PG_BIN/pgbench, else /usr/lib/postgresql/15/bin/pgbench).")
    var pgbench: String?

    @Option(help: "The folder with the C sources of the libpq programs (default: the repository's Benchmarks/).")
    var benchmarksDir: String?

    mutating func validate() throws {
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
        if let spinBeforeSleeping, spinBeforeSleeping < 0 {
            throw ValidationError("--spin-before-sleeping must be 0 or more microseconds")
        }
        if let callerSpin, callerSpin < 0 {
            throw ValidationError("--caller-spin must be 0 or more microseconds")
        }
        guard PGLocalCluster.SSLMode(rawValue: sslmode) != nil else {
            throw ValidationError("--sslmode must be one of \(PGLocalCluster.SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        do { _ = try Workload.list(workloads) } catch { throw ValidationError(error.description) }
    }

    mutating func run() async throws {
        if nioGlobalExecutor, !BenchMain.installedNIOGlobalExecutor.load(ordering: .relaxed) {
            // SwiftNIO looks the runtime's hook up by name, and a runtime linked in keeps it private.
            throw BenchError(
                SwiftRuntimeLinkage.current == .static
                    ? "--nio-global-executor needs the shared Swift runtime: build the benchmark without --static-swift-stdlib"
                    : "could not install NIO's event loops as the global executor (too late in this process)")
        }
        if noSocket {
            try measureWithoutSocket()
            return
        }
        let selected = try Workload.list(workloads)
        if SwiftRuntimeLinkage.current == .shared {
            log("note: the Swift runtime is linked as a shared library; a service is deployed built with --static-swift-stdlib, which these figures are quoted for (Docs/benchmarks.md)")
        }
        let mode = PGLocalCluster.SSLMode(rawValue: sslmode) ?? .disable
        var cluster: PGLocalCluster?
        let connectionString: String
        if let url {
            connectionString = Self.adding(sslmode: mode, to: url)
        } else {
            var options = PGLocalCluster.Options()
            options.isTLSEnabled = mode != .disable
            log("starting a throwaway PostgreSQL cluster…")
            let started = try await PGLocalCluster.start(options: options)
            cluster = started
            connectionString = started.url(sslmode: mode)
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("pgwire-bench-\(ProcessInfo.processInfo.processIdentifier)").path
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let report = try await runWorkloads(selected, connectionString: connectionString, scratch: scratch)
            try emit(report)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            try? await cluster?.stop()
            throw error
        }
        try? FileManager.default.removeItem(atPath: scratch)
        try await cluster?.stop()
    }

    /// `--no-socket`: one line per run, one with the median of the warm runs, and one with the
    /// median statement of a cold run (a twentieth as many statements, each after the caches
    /// were emptied).
    private func measureWithoutSocket() throws {
        let statements = ops ?? 200_000
        var runs: [Double] = []
        for _ in 0..<(noSocketRuns == .cold ? 0 : repeatCount) {
            let run = try NoSocketCost.measure(statements: statements)
            runs.append(run.cpuMicros)
            log("[no_socket] \(statements) statements, \(Report.format(run.cpuMicros, decimals: 3)) µs of CPU each")
        }
        if !runs.isEmpty {
            print("NO_SOCKET name=param_seq statements=\(statements) runs=\(repeatCount) cpu_us_per_statement=\(Report.format(median(runs), decimals: 3))")
        }
        guard noSocketRuns != .warm else { return }
        let coldStatements = max(100, statements / 20)
        let cold = try NoSocketCost.measureCold(statements: coldStatements)
        print("NO_SOCKET name=param_seq_cold statements=\(coldStatements) us_per_statement=\(Report.format(cold, decimals: 3)) (the median statement, each after the caches were emptied)")
    }

    private func runWorkloads(_ selected: [Workload], connectionString: String, scratch: String) async throws -> Report {
        let ours = DriverWorkloads(
            config: try PGConfig(connectionString), pipeline: pipeline.runner, tracer: telemetry.tracer,
            spinBeforeSleeping: spinBeforeSleeping.map { .microseconds($0) },
            callerSpinBeforeSleeping: callerSpin.map { .microseconds($0) })
        try await ours.prepareSchema()
        var libpq: LibpqWorkloads?
        if withLibpq {
            libpq = try await makeLibpq(connectionString: connectionString, scratch: scratch)
        }

        var report = Report(
            rows: selected.map { Report.Row(workload: $0) }, withLibpq: withLibpq, repeatCount: repeatCount,
            pipelineName: ours.pipeline.name)
        for index in report.rows.indices {
            let workload = report.rows[index].workload
            let count = workload.ops(override: ops)
            report.rows[index].peakRSSBefore = peakRSSKiB()
            for round in 1...repeatCount {
                // Alternate who goes first, so neither side always meets a warmer server.
                let oursFirst = round % 2 == 1
                if oursFirst {
                    report.rows[index].ours.outcomes.append(await runOurs(ours, workload, count, round))
                }
                if let libpq {
                    let outcome = await libpq.run(workload, ops: count)
                    log(Self.progress("libpq", workload, round, outcome))
                    report.rows[index].libpq.outcomes.append(outcome)
                }
                if !oursFirst {
                    report.rows[index].ours.outcomes.append(await runOurs(ours, workload, count, round))
                }
            }
            report.rows[index].peakRSSAfter = peakRSSKiB()
        }
        try await ours.dropSchema()
        return report
    }

    private func runOurs(_ ours: DriverWorkloads, _ workload: Workload, _ count: Int, _ round: Int) async -> Outcome {
        let outcome = await ours.run(workload, ops: count)
        log(Self.progress("ours", workload, round, outcome))
        return outcome
    }

    private func makeLibpq(connectionString: String, scratch: String) async throws -> LibpqWorkloads {
        let pgbenchPath = pgbench
            ?? (ProcessInfo.processInfo.environment["PGWIRE_PG_BIN"].map { "\($0)/pgbench" })
            ?? "/usr/lib/postgresql/15/bin/pgbench"
        guard FileManager.default.isExecutableFile(atPath: pgbenchPath) else {
            throw BenchError("pgbench not found at \(pgbenchPath): run .ci/install-postgres or pass --pgbench")
        }
        let bench = PGBench(executable: pgbenchPath, scriptDirectory: scratch, connectionString: connectionString)
        try bench.writeScripts()
        let programs: Result<CPrograms, BenchError>
        do {
            programs = .success(try await CPrograms.build(
                sourceDirectory: benchmarksDir ?? Self.defaultBenchmarksDirectory(), binaryDirectory: scratch,
                connectionString: connectionString))
        } catch let error as BenchError {
            log("warning: \(error.description); the libpq side of decode_1m, insert_100k_* and copy_100k is skipped")
            programs = .failure(error)
        }
        return LibpqWorkloads(pgbench: bench, programs: programs)
    }

    private func emit(_ report: Report) throws {
        print(report.summaryLines.joined(separator: "\n"))
        print()
        print(report.markdownTable)
        print()
        print(report.memoryLines.joined(separator: "\n"))
        for line in report.poolLines + report.hopLines { print(line) }
        print("NOTE pipeline=\"\(report.pipelineName)\" repeat=\(report.repeatCount) select1_seq=\"extended protocol (query)\" nio_global_executor=\(nioGlobalExecutor) telemetry=\(telemetry.rawValue) swift_runtime=\(SwiftRuntimeLinkage.current.rawValue)")
        if let svg {
            let chart = SVGChart(
                title: "pgwire-swift vs libpq: rate ratio (median of \(report.repeatCount), higher is better)",
                bars: report.rows.map { ($0.workload.rawValue, $0.ratio) })
            try chart.svg.write(toFile: svg, atomically: true, encoding: .utf8)
            log("wrote \(svg)")
        }
    }

    // MARK: Helpers

    /// The repository's `Benchmarks/`, found from this source file's place, or `./Benchmarks`.
    private static func defaultBenchmarksDirectory() -> String {
        let local = FileManager.default.currentDirectoryPath + "/Benchmarks"
        if FileManager.default.fileExists(atPath: local) { return local }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks").path
    }

    private static func adding(sslmode: PGLocalCluster.SSLMode, to url: String) -> String {
        guard !url.contains("sslmode=") else { return url }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return url + (url.contains("?") ? "&" : "?") + "sslmode=\(sslmode.rawValue)"
        }
        return url + " sslmode=\(sslmode.rawValue)"
    }

    private static func progress(_ side: String, _ workload: Workload, _ round: Int, _ outcome: Outcome) -> String {
        let what = switch outcome {
        case .measured(let m): "\(m.ops) in \(Report.format(m.seconds, decimals: 3)) s = \(Report.format(m.rate, decimals: 1))/s"
        case .skipped(let reason): "skipped (\(reason))"
        case .failed(let message): "FAILED: \(message)"
        }
        return "[\(workload.rawValue) #\(round) \(side)] \(what)"
    }
}

/// Progress and warnings go to standard error, so standard output holds only the results.
func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
