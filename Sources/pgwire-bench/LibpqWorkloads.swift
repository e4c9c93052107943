/// The libpq side of every workload: pgbench where it can express the workload, else one of the
/// C programs in `Benchmarks/`.
struct LibpqWorkloads: Sendable {
    let pgbench: PGBench
    /// The compiled programs, or why they could not be built.
    let programs: Result<CPrograms, BenchError>

    /// How the libpq side runs `workload`, for the report.
    static func form(of workload: Workload) -> String {
        switch workload.libpqRunner(ops: workload.defaultOps) {
        case .pgbench(let invocation): invocation.form
        case .program(let program, let arguments):
            "C: \(program.rawValue).c" + (arguments.contains("pipeline") ? " (pipeline mode)" : "")
                + (arguments.contains("each") ? " (pipeline mode, a Sync per statement)" : "")
        }
    }

    /// Runs the libpq form of `workload` and adds the child's CPU time and context switches to
    /// the measurement.
    func run(_ workload: Workload, ops: Int) async -> Outcome {
        let cpuBefore = cpuSeconds(ofChildren: true)
        let switchesBefore = contextSwitches(ofChildren: true)
        let outcome = await runChild(workload, ops: ops)
        guard case .measured(var measurement) = outcome else { return outcome }
        measurement.cpuSeconds = cpuSeconds(ofChildren: true) - cpuBefore
        measurement.contextSwitches = contextSwitches(ofChildren: true) - switchesBefore
        return .measured(measurement)
    }

    private func runChild(_ workload: Workload, ops: Int) async -> Outcome {
        switch workload.libpqRunner(ops: ops) {
        case .pgbench(let invocation):
            return await pgbench.run(invocation)
        case .program(let program, let arguments):
            switch programs {
            case .success(let programs): return await programs.run(program, arguments)
            case .failure(let error): return .skipped(reason: error.description)
            }
        }
    }
}

/// What runs one workload on the libpq side.
enum LibpqRunner {
    case pgbench(PGBench.Invocation)
    case program(CPrograms.Program, arguments: [String])
}

extension Workload {
    func libpqRunner(ops: Int) -> LibpqRunner {
        switch self {
        case .select1Seq, .select1SeqPinned, .floorEventLoop, .floorPinnedTask, .floorGlobalTask:
            .pgbench(.init(script: .select1, transactions: ops))
        case .paramSeq, .paramSeqPinned, .poolSeq:
            .pgbench(.init(script: .parameter, transactions: ops))
        case .txnSeq, .poolTxnSeq:
            .pgbench(.init(script: .transaction, transactions: ops))
        case .pipeline100, .pipeline100Steady, .floorPipeline100:
            // Concurrent callers need a Sync each (one Sync would make them one implicit
            // transaction), so libpq's pipeline in the same form: a Sync after every statement.
            .program(.pipelineSync, arguments: ["each", String(ops), String(PipelineShape.batchSize)])
        case .pipeline100Batch:
            .pgbench(.init(
                script: .pipeline, transactions: ops / PipelineShape.batchSize,
                statementsPerTransaction: PipelineShape.batchSize))
        case .connect:
            // The simple protocol: the fewest messages per connection pgbench can send.
            .pgbench(.init(script: .select1, transactions: ops, mode: "simple", reconnectEachTransaction: true))
        case .pool64x, .pool64xPinned:
            .pgbench(.init(
                script: .parameter, transactions: ops / PoolShape.connections,
                clients: PoolShape.connections, threads: PoolShape.libpqThreads))
        case .decode1M, .decode1MPinned:
            .program(.decode, arguments: [String(ops)])
        case .insert100kTxn, .insert100kTxnPinned:
            .program(.insert, arguments: ["txn", String(ops)])
        case .insert100kPipeline:
            .program(.insert, arguments: ["pipeline", String(ops), String(PipelineShape.batchSize)])
        case .copy100k, .copy100kPinned:
            .program(.copy, arguments: [String(ops)])
        }
    }
}
