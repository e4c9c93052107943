/// One benchmark workload, named as the performance issues name it.
///
/// The plain names are the **default path**: the code a user writes from the README, with
/// default options, in a task on Swift's global executor. The suffixed names are the same work
/// in the forms documented for the last microseconds: `_pinned` runs the caller's task on the
/// connection's event loop (``PGConnection/executor``, or the pool's executors with statements
/// multiplexed), `_batch` and `insert_100k_pipeline` send a ``PGBatch``. Each form is compared
/// with the same libpq program.
enum Workload: String, CaseIterable, Sendable {
    case select1Seq = "select1_seq"
    case paramSeq = "param_seq"
    /// 100 concurrent tasks on one connection, each with its own statement, a group of 100
    /// at a time.
    case pipeline100 = "pipeline_100"
    /// 100 long-lived tasks on one connection, each running its statements one after
    /// another: as many in flight, with no group to wait for (a service's concurrent
    /// requests).
    case pipeline100Steady = "pipeline_100_steady"
    case decode1M = "decode_1m"
    /// An interpolated INSERT per row in `withTransaction`.
    case insert100kTxn = "insert_100k_txn"
    case copy100k = "copy_100k"
    case connect = "connect"
    /// 64 tasks through a `PGPool` of 8 connections, its other options left as they are.
    case pool64x = "pool_64x"
    /// One task's `pool.query` after another through a `PGPool` as configured by default: a
    /// service's requests at low load.
    case poolSeq = "pool_seq"
    /// One short transaction after another on a connection (`withTransaction` around one
    /// `SELECT $1::int4`): a service's request that reads in a transaction.
    case txnSeq = "txn_seq"
    /// The same transactions through a `PGPool` as configured by default (`pool.withTransaction`).
    case poolTxnSeq = "pool_txn_seq"

    case select1SeqPinned = "select1_seq_pinned"
    case paramSeqPinned = "param_seq_pinned"
    /// ``PGBatch``es of 100 statements, pinned.
    case pipeline100Batch = "pipeline_100_batch"
    case decode1MPinned = "decode_1m_pinned"
    /// A prepared INSERT per row (as the C program's `PQexecPrepared`), pinned.
    case insert100kTxnPinned = "insert_100k_txn_pinned"
    /// The INSERTs, 100 at a time in a ``PGBatch``, pinned.
    case insert100kPipeline = "insert_100k_pipeline"
    case copy100kPinned = "copy_100k_pinned"
    /// The pool with 16 statements multiplexed per connection and the tasks pinned to its
    /// executors.
    case pool64xPinned = "pool_64x_pinned"

    /// `SELECT 1` round trips with no driver, the next written from the event loop's handler
    /// (``WireFloor``): what SwiftNIO alone costs.
    case floorEventLoop = "floor_event_loop"
    /// The same, each awaited by a task pinned to the event loop.
    case floorPinnedTask = "floor_pinned_task"
    /// The same, each awaited by a task on Swift's global executor.
    case floorGlobalTask = "floor_global_task"
    /// `pipeline_100`'s concurrent tasks on the global executor, each its own `SELECT $1::int4`
    /// with its own Sync on one socket, with no driver.
    case floorPipeline100 = "floor_pipeline_100"

    /// How the caller is written.
    enum Form: String, Sendable {
        /// As the README shows, default options, on Swift's global executor.
        case defaultPath = "default path"
        /// On the connection's (or the pool's) event loop.
        case pinned
        /// Statements sent together (``PGBatch``), pinned.
        case batch
        /// No driver: SwiftNIO and the caller's executor alone (``WireFloor``), against the same
        /// libpq program as the workload whose shape it has (`select1_seq`, `pipeline_100`).
        case floor = "floor, no driver"
    }

    var form: Form {
        switch self {
        case .select1Seq, .paramSeq, .pipeline100, .pipeline100Steady, .decode1M, .insert100kTxn, .copy100k,
            .connect, .pool64x, .poolSeq, .txnSeq, .poolTxnSeq:
            .defaultPath
        case .select1SeqPinned, .paramSeqPinned, .decode1MPinned, .insert100kTxnPinned, .copy100kPinned,
            .pool64xPinned:
            .pinned
        case .pipeline100Batch, .insert100kPipeline: .batch
        case .floorEventLoop, .floorPinnedTask, .floorGlobalTask, .floorPipeline100: .floor
        }
    }

    /// The default-path workload this one is a form of (itself for the default path), whose
    /// libpq program it is compared with.
    var base: Workload {
        switch self {
        case .select1SeqPinned, .floorEventLoop, .floorPinnedTask, .floorGlobalTask: .select1Seq
        case .paramSeqPinned: .paramSeq
        case .pipeline100Steady, .pipeline100Batch, .floorPipeline100: .pipeline100
        case .decode1MPinned: .decode1M
        case .insert100kTxnPinned: .insert100kTxn
        case .copy100kPinned: .copy100k
        case .pool64xPinned: .pool64x
        default: self
        }
    }

    /// How many operations (statements, rows or connections) one run performs by default.
    var defaultOps: Int {
        switch base {
        case .select1Seq, .paramSeq, .poolSeq, .txnSeq, .poolTxnSeq: 20_000
        case .decode1M: 1_000_000
        case .connect: 500
        case .pool64x: PoolShape.tasks * 1_000
        // About a second a run, as the other workloads take: a shorter run is lost in the swings
        // of a shared machine.
        case .pipeline100Batch: 300_000
        default: 100_000  // pipeline_100, insert_100k_*, copy_100k
        }
    }

    /// What one operation is, for the table's header.
    var unit: String {
        switch base {
        case .decode1M, .insert100kTxn, .insert100kPipeline, .copy100k: "rows"
        case .connect: "connections"
        case .txnSeq, .poolTxnSeq: "transactions"
        default: "queries"
        }
    }

    /// The operation count a run uses: the default, or `override`, rounded so that batches and
    /// clients divide it evenly.
    func ops(override: Int?) -> Int {
        guard let override, override > 0 else { return defaultOps }
        let step = switch base {
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
