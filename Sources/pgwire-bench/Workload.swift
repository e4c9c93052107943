/// One benchmark workload, named as the performance issue names it.
enum Workload: String, CaseIterable, Sendable {
    case select1Seq = "select1_seq"
    case paramSeq = "param_seq"
    case pipeline100 = "pipeline_100"
    case decode1M = "decode_1m"
    case insert100kTxn = "insert_100k_txn"
    case insert100kPipeline = "insert_100k_pipeline"
    case copy100k = "copy_100k"
    case connect = "connect"
    case pool64x = "pool_64x"

    /// How many operations (statements, rows or connections) one run performs by default.
    var defaultOps: Int {
        switch self {
        case .select1Seq, .paramSeq: 20_000
        case .pipeline100, .insert100kTxn, .insert100kPipeline, .copy100k: 100_000
        case .decode1M: 1_000_000
        case .connect: 500
        case .pool64x: PoolShape.tasks * 1_000
        }
    }

    /// What one operation is, for the table's header.
    var unit: String {
        switch self {
        case .decode1M, .insert100kTxn, .insert100kPipeline, .copy100k: "rows"
        case .connect: "connections"
        default: "queries"
        }
    }

    /// The operation count a run uses: the default, or `override`, rounded so that batches and
    /// clients divide it evenly.
    func ops(override: Int?) -> Int {
        guard let override, override > 0 else { return defaultOps }
        let step = switch self {
        case .pipeline100, .insert100kPipeline: PipelineShape.batchSize
        case .pool64x: PoolShape.tasks
        default: 1
        }
        return max(step, override / step * step)
    }

    /// Parses `a,b,c`; empty means every workload.
    static func list(_ text: String) throws(BenchError) -> [Workload] {
        let names = text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if names.isEmpty { return allCases }
        return try names.map { name throws(BenchError) in
            guard let workload = Workload(rawValue: name) else {
                throw BenchError("unknown workload \(name); known: \(allCases.map(\.rawValue).joined(separator: ","))")
            }
            return workload
        }
    }
}

/// How the pipelined workloads group their statements.
enum PipelineShape {
    /// Statements in flight at once (`pipeline_100`, `insert_100k_pipeline`).
    static let batchSize = 100
}

/// The shape of `pool_64x`.
enum PoolShape {
    /// Concurrent tasks.
    static let tasks = 64
    /// Pooled connections (pgbench clients on the libpq side).
    static let connections = 8
    /// pgbench threads for the libpq side.
    static let libpqThreads = 2
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
