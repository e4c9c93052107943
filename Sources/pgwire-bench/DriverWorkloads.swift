import Foundation
import InMemoryTracing
import PGClient
import PGWire
import Tracing

/// The workloads run with our driver, PGClient. Each run opens its own connection before the
/// clock starts (as pgbench excludes its initial connection) and closes it afterwards.
struct DriverWorkloads: Sendable {
    let config: PGConfig
    let pipeline: any PipelineRunner
    /// The tracer of every connection and pool (`--telemetry`); `nil`: the process-wide one.
    var tracer: (any Tracer)? = nil

    /// How long a connection's loop polls for a pinned caller's result (`--spin-before-sleeping`);
    /// `nil`: the library's default.
    var spinBeforeSleeping: Duration? = nil
    /// How long a caller off the event loop polls for its result (`--caller-spin`); `nil`: the
    /// library's default.
    var callerSpinBeforeSleeping: Duration? = nil

    /// The options of every connection.
    var options: PGConnection.Options {
        var options = PGConnection.Options(tracer: tracer)
        if let spinBeforeSleeping { options.spinBeforeSleeping = spinBeforeSleeping }
        if let callerSpinBeforeSleeping { options.callerSpinBeforeSleeping = callerSpinBeforeSleeping }
        return options
    }

    func run(_ workload: Workload, ops: Int) async -> Outcome {
        // An in-memory tracer keeps every span: drop the last run's.
        defer { (tracer as? InMemoryTracer)?.clearAll() }
        do {
            // `PGWIRE_BENCH_UNPINNED` runs the pinned and batch forms' callers on the global
            // executor too: what pinning gains, form by form.
            let pinned = workload.form != .defaultPath && ProcessInfo.processInfo.environment["PGWIRE_BENCH_UNPINNED"] == nil
            let measurement = switch workload {
            case .select1Seq:
                try await withConnection(pinned: pinned) { connection in
                    var measurement = try await select1(ops: ops, on: connection)
                    measurement.hopRoundTrip = try await HopRoundTrip.measure(on: connection.executor.eventLoop)
                    return measurement
                }
            case .select1SeqPinned:
                try await withConnection(pinned: pinned) { try await select1(ops: ops, on: $0) }
            case .paramSeq, .paramSeqPinned:
                try await withConnection(pinned: pinned) { try await parameterized(ops: ops, on: $0) }
            case .pipeline100:
                try await withConnection(pinned: pinned) { connection in
                    var measurement = try await concurrent(ops: ops, on: connection)
                    measurement.hopRoundTrip = try await HopRoundTrip.measureConcurrent(on: connection.executor.eventLoop)
                    return measurement
                }
            case .pipeline100Steady:
                try await withConnection(pinned: pinned) { try await steadilyConcurrent(ops: ops, on: $0) }
            case .pipeline100Batch:
                try await withConnection(pinned: pinned) { try await pipelined(ops: ops, on: $0) }
            case .decode1M, .decode1MPinned:
                try await withConnection(pinned: pinned) { try await decode(rows: ops, on: $0) }
            case .insert100kTxn:
                try await withConnection(pinned: pinned) { try await insertInterpolated(rows: ops, on: $0) }
            case .insert100kTxnPinned:
                try await withConnection(pinned: pinned) { try await insertSequential(rows: ops, on: $0) }
            case .insert100kPipeline:
                try await withConnection(pinned: pinned) { try await insertPipelined(rows: ops, on: $0) }
            case .connect:
                try await connectRepeatedly(ops)
            case .copy100k, .copy100kPinned:
                try await withConnection(pinned: pinned) { try await copy(rows: ops, on: $0) }
            case .pool64x:
                try await pooledAsConfiguredByDefault(ops: ops)
            case .pool64xPinned:
                try await pooled(ops: ops)
            case .poolSeq:
                try await pooledSequentially(ops: ops)
            case .txnSeq:
                try await withConnection(pinned: pinned) { connection in
                    try await shortTransactions(ops: ops) { body in try await connection.withTransaction { try await body($0) } }
                }
            case .poolTxnSeq:
                try await withPool(PGPool.Configuration(connection: config)) { pool in
                    try await shortTransactions(ops: ops) { body in try await pool.withTransaction { try await body($0) } }
                }
            case .floorEventLoop:
                try await WireFloor.measure(.eventLoop, ops: ops, config: config)
            case .floorPinnedTask:
                try await WireFloor.measure(.pinnedTask, ops: ops, config: config)
            case .floorGlobalTask:
                try await WireFloor.measure(.globalTask, ops: ops, config: config)
            case .floorPipeline100:
                try await WireFloor.measure(.concurrentGlobalTasks, ops: ops, config: config)
            }
            return .measured(measurement)
        } catch {
            return .failed(message: "\(error)")
        }
    }

    /// Makes the ledger table the insert workloads fill.
    func prepareSchema() async throws {
        _ = try await withConnection(pinned: false) { try await $0.simpleQuery(LedgerRow.createTable) }
    }

    func dropSchema() async throws {
        _ = try await withConnection(pinned: false) { try await $0.simpleQuery(LedgerRow.dropTable) }
    }

    // MARK: Workloads

    /// `SELECT 1` with the extended protocol (`query`), the row decoded.
    private func select1(ops: Int, on connection: PGConnection) async throws -> Measurement {
        var sum = 0
        let measurement = try await timed(ops) {
            for _ in 0..<ops {
                for try await row in try await connection.query("SELECT 1") {
                    sum &+= Int(try row.decode(Int32.self, at: 0))
                }
            }
        }
        try check(sum == ops, "SELECT 1 returned something else")
        return measurement
    }

    /// `SELECT $1::int4` with a bound parameter, decoded and checked.
    private func parameterized(ops: Int, on connection: PGConnection) async throws -> Measurement {
        var mismatches = 0
        let measurement = try await timed(ops) {
            for i in 0..<ops {
                let value = Int32(truncatingIfNeeded: i)
                for try await row in try await connection.query("SELECT \(value)::int4") {
                    if try row.decode(Int32.self, at: 0) != value { mismatches += 1 }
                }
            }
        }
        try check(mismatches == 0, "\(mismatches) parameters came back changed")
        return measurement
    }

    /// `ops` transactions one after another, each around one `SELECT $1::int4` (its row checked),
    /// run by `transaction` (a connection's or a pool's `withTransaction`).
    private func shortTransactions(
        ops: Int,
        _ transaction: (@Sendable (PGConnection) async throws -> [PGRow]) async throws -> [PGRow]
    ) async throws -> Measurement {
        var mismatches = 0
        let measurement = try await timed(ops) {
            for i in 0..<ops {
                let value = Int32(truncatingIfNeeded: i)
                let read = try await transaction { connection in
                    try await connection.query("SELECT \(value)::int4").collect()
                }
                if try read.count != 1 || read[0].decode(Int32.self, at: 0) != value { mismatches += 1 }
            }
        }
        try check(mismatches == 0, "\(mismatches) transactions read something else")
        return measurement
    }

    /// `SELECT $1::int4`, ``PipelineShape/batchSize`` statements at a time through the pipeline.
    private func pipelined(ops: Int, on connection: PGConnection) async throws -> Measurement {
        let batch = PipelineShape.batchSize
        var mismatches = 0
        let measurement = try await timed(ops) {
            for first in stride(from: 0, to: ops, by: batch) {
                let values = (first..<min(first + batch, ops)).map { Int32(truncatingIfNeeded: $0) }
                let rows = try await pipeline.select(values, on: connection)
                for (row, value) in zip(rows, values) where try row.decode(Int32.self, at: 0) != value {
                    mismatches += 1
                }
                if rows.count != values.count { mismatches += 1 }
            }
        }
        try check(mismatches == 0, "\(mismatches) pipelined results were wrong")
        return measurement
    }

    /// `SELECT $1::int4` from ``PipelineShape/batchSize`` concurrent tasks at a time, each with
    /// its own `query` on the one connection (the connection pipelines them).
    private func concurrent(ops: Int, on connection: PGConnection) async throws -> Measurement {
        let batch = PipelineShape.batchSize
        let measurement = try await timed(ops) {
            for first in stride(from: 0, to: ops, by: batch) {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in first..<min(first + batch, ops) {
                        let value = Int32(truncatingIfNeeded: index)
                        group.addTask { try await Self.selectsBack(value, on: connection) }
                    }
                    for try await matched in group where !matched {
                        throw BenchError("a concurrent query's result was wrong")
                    }
                }
            }
        }
        return measurement
    }

    /// `SELECT $1::int4` from ``PipelineShape/batchSize`` long-lived tasks on the one
    /// connection, each running its share one statement after another: as many in flight as
    /// ``concurrent(ops:on:)``, with no group whose last statement the next group waits for.
    private func steadilyConcurrent(ops: Int, on connection: PGConnection) async throws -> Measurement {
        let tasks = PipelineShape.batchSize
        return try await timed(ops) {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        for index in stride(from: task, to: ops, by: tasks) {
                            guard try await Self.selectsBack(Int32(truncatingIfNeeded: index), on: connection) else { return false }
                        }
                        return true
                    }
                }
                for try await matched in group where !matched {
                    throw BenchError("a concurrent query's result was wrong")
                }
            }
        }
    }

    /// One concurrent task's statement: `SELECT $1::int4` with `value`, as a user writes it;
    /// whether its one row came back with `value`. Inlined, so that the task's frames are
    /// those of the statement written out in place.
    @inline(__always)
    private static func selectsBack(_ value: Int32, on connection: PGConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT \(value)::int4").collect()
        return try rows.count == 1 && rows[0].decode(Int32.self, at: 0) == value
    }

    /// Streams `rows` rows of four columns and decodes every column into a Swift value.
    private func decode(rows: Int, on connection: PGConnection) async throws -> Measurement {
        var checksum = 0
        var seen = 0
        let sql = "SELECT g::int8, g::text, (g*1.01)::numeric(12,2), now() FROM generate_series(1,\(rows)) g"
        var measurement = try await timed(rows) {
            for try await row in try await connection.query(PGQuery(unsafeSQL: sql)) {
                let (id, text, amount, at) = try row.decode((Int64, String, PGNumeric, Date).self)
                checksum &+= Int(id) &+ text.utf8.count &+ amount.scale &+ Int(at.timeIntervalSince1970) & 0xff
                seen += 1
            }
        }
        try check(seen == rows, "expected \(rows) rows, got \(seen) (checksum \(checksum))")
        measurement.peakRSSKiB = peakRSSKiB()
        return measurement
    }

    /// One INSERT per row, each awaited, in one transaction, through a statement prepared
    /// beforehand (as the C program's `PQprepare` and `PQexecPrepared`).
    private func insertSequential(rows: Int, on connection: PGConnection) async throws -> Measurement {
        try await connection.simpleQuery(LedgerRow.truncate)
        let insert = try await connection.prepare(LedgerRow.insertSQL, parameters: (UUID, PGNumeric, String, Date).self)
        return try await timed(rows) {
            try await connection.withTransaction { connection in
                for i in 0..<rows {
                    let row = try LedgerRow(i)
                    try await connection.execute(insert, row.userID, row.amount, row.description, row.createdAt)
                }
            }
        }
    }

    /// One INSERT per row, each awaited, in one transaction, with the values interpolated into
    /// the statement (the statement cache prepares it once).
    private func insertInterpolated(rows: Int, on connection: PGConnection) async throws -> Measurement {
        try await connection.simpleQuery(LedgerRow.truncate)
        return try await timed(rows) {
            try await connection.withTransaction { connection in
                for i in 0..<rows {
                    let row = try LedgerRow(i)
                    try await connection.execute(
                        """
                        INSERT INTO bench_ledger (user_id, amount, description, created_at)
                        VALUES (\(row.userID), \(row.amount), \(row.description), \(row.createdAt))
                        """)
                }
            }
        }
    }

    /// The same INSERTs, ``PipelineShape/batchSize`` at a time through the pipeline, in one
    /// transaction.
    private func insertPipelined(rows: Int, on connection: PGConnection) async throws -> Measurement {
        try await connection.simpleQuery(LedgerRow.truncate)
        let batch = PipelineShape.batchSize
        let pipeline = self.pipeline
        return try await timed(rows) {
            try await connection.withTransaction { connection in
                for first in stride(from: 0, to: rows, by: batch) {
                    try await pipeline.insert(first..<min(first + batch, rows), on: connection)
                }
            }
        }
    }

    /// The same rows through binary `COPY … FROM STDIN`, encoded by our codecs.
    private func copy(rows: Int, on connection: PGConnection) async throws -> Measurement {
        try await connection.simpleQuery(LedgerRow.truncate)
        let measurement = try await timed(rows) {
            let result = try await connection.copyIn(
                "COPY bench_ledger (user_id, amount, description, created_at) FROM STDIN (FORMAT binary)"
            ) { writer in
                for i in 0..<rows {
                    let row = try LedgerRow(i)
                    try await writer.append(row.userID, row.amount, row.description, row.createdAt)
                }
            }
            try check(result.rowCount == Int64(rows), "COPY reported \(result.rowCount ?? -1) rows")
        }
        return measurement
    }

    /// 64 tasks × `ops / 64` `SELECT $1::int4` through a pool of 8 connections configured as the
    /// README shows (its minimum and maximum set, every other option as it comes), the tasks on
    /// Swift's global executor. `PGWIRE_BENCH_POOL_HANDOFF` sets
    /// `waitingStatementsPerConnection` instead of its default (1 turns the handoff off, for
    /// comparison).
    private func pooledAsConfiguredByDefault(ops: Int) async throws -> Measurement {
        var configuration = PGPool.Configuration(connection: config)
        configuration.minConnections = PoolShape.connections
        configuration.maxConnections = PoolShape.connections
        if let handoff = ProcessInfo.processInfo.environment["PGWIRE_BENCH_POOL_HANDOFF"].flatMap({ Int($0) }) {
            configuration.waitingStatementsPerConnection = handoff
        }
        return try await withPool(configuration) { pool in
            let perTask = ops / PoolShape.tasks
            return try await timed(perTask * PoolShape.tasks) {
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    for task in 0..<PoolShape.tasks {
                        tasks.addTask { try await Self.queryRepeatedly(pool, task: task, count: perTask) }
                    }
                    try await tasks.waitForAll()
                }
            }
        }
    }

    /// 64 tasks × `ops / 64` `SELECT $1::int4` through a pool of 8 connections, with up to
    /// ``pooledStatementsPerConnection`` statements multiplexed on each connection, and the tasks
    /// pinned round-robin to the pool's event loops (as pgbench's `-j 2` threads each serve
    /// their share of the clients).
    private func pooled(ops: Int) async throws -> Measurement {
        var configuration = PGPool.Configuration(connection: config)
        configuration.minConnections = PoolShape.connections
        configuration.maxConnections = PoolShape.connections
        configuration.statementsPerConnection = Self.pooledStatementsPerConnection
        return try await withPool(configuration) { pool in
            let executors = pool.executors
            let perTask = ops / PoolShape.tasks
            var measurement = try await timed(perTask * PoolShape.tasks) {
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    for task in 0..<PoolShape.tasks {
                        tasks.addTask(executorPreference: executors[task % executors.count]) {
                            try await Self.queryRepeatedly(pool, task: task, count: perTask)
                        }
                    }
                    try await tasks.waitForAll()
                }
            }
            measurement.poolLeaseOverhead = try await PoolLeaseOverhead.measure(pool)
            return measurement
        }
    }

    /// `ops` `SELECT $1::int4` one after another through a pool with its default configuration.
    private func pooledSequentially(ops: Int) async throws -> Measurement {
        try await withPool(PGPool.Configuration(connection: config)) { pool in
            try await timed(ops) { try await Self.queryRepeatedly(pool, task: 0, count: ops) }
        }
    }

    /// Task `task`'s share of `pool_64x`: `count` statements, each result checked.
    private static func queryRepeatedly(_ pool: PGPool, task: Int, count: Int) async throws {
        for i in 0..<count {
            let value = Int32(truncatingIfNeeded: task * count + i)
            let rows = try await pool.query("SELECT \(value)::int4")
            guard try rows.first?.decode(Int32.self, at: 0) == value else {
                throw BenchError("the pool returned a wrong row")
            }
        }
    }

    /// Runs a pool of `configuration`, with the tracer and connection options of every run, while
    /// `body` measures it, after a warm-up: every connection open and its
    /// statement cached before the clock starts.
    private func withPool(
        _ configuration: PGPool.Configuration, _ body: @Sendable (PGPool) async throws -> Measurement
    ) async throws -> Measurement {
        var configuration = configuration
        configuration.tracer = tracer
        configuration.connectionOptions = options
        let pool = PGPool(config: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pool.run() }
            do {
                try await withThrowingTaskGroup(of: Void.self) { warm in
                    for _ in 0..<PoolShape.connections * 4 {
                        warm.addTask { _ = try await pool.query("SELECT \(Int32(0))::int4") }
                    }
                    try await warm.waitForAll()
                }
                let measurement = try await body(pool)
                pool.shutdown()
                group.cancelAll()
                return measurement
            } catch {
                pool.shutdown()
                group.cancelAll()
                throw error
            }
        }
    }

    /// One-off statements per pooled connection in `pool_64x_pinned`: 16, or
    /// `PGWIRE_BENCH_POOL_STATEMENTS` (1 turns multiplexing off, for comparison). The 64 tasks
    /// average 8 per connection; room for 16 lets each loop's 32 tasks always find a place on
    /// that loop's 4 connections (with exactly 8, a connection that drains for a moment sends a
    /// task to the other loop, and under saturation it tends to stay there).
    static var pooledStatementsPerConnection: Int {
        ProcessInfo.processInfo.environment["PGWIRE_BENCH_POOL_STATEMENTS"].flatMap { Int($0) } ?? 16
    }

    /// Connect (with SCRAM), `SELECT 1`, close, `count` times.
    private func connectRepeatedly(_ count: Int) async throws -> Measurement {
        try await timed(count) {
            for _ in 0..<count {
                let connection = try await PGConnection.connect(config: config, options: options)
                _ = try await connection.query("SELECT 1").collect()
                await connection.close()
            }
        }
    }

    // MARK: Helpers

    /// Runs `body` with a new connection: `pinned`, on that connection's event loop, where
    /// sequential work awaits each result without crossing threads (``PGConnection/executor``);
    /// else where the caller runs (Swift's global executor), as a service's handler does.
    private func withConnection<Result: Sendable>(
        pinned: Bool, _ body: @Sendable (PGConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await PGConnection.connect(config: config, options: options)
        do {
            let result = try await withTaskExecutorPreference(pinned ? connection.executor : nil) {
                try await body(connection)
            }
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    private func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(BenchError) {
        if !condition { throw BenchError(message()) }
    }
}

/// Runs `body` once and measures it on the monotonic clock.
func timed(_ ops: Int, _ body: () async throws -> Void) async throws -> Measurement {
    let clock = ContinuousClock()
    let cpuBefore = cpuSeconds()
    let switchesBefore = contextSwitches()
    let start = clock.now
    try await body()
    let elapsed = start.duration(to: clock.now)
    let cpu = cpuSeconds() - cpuBefore
    let switches = contextSwitches() - switchesBefore
    return Measurement(ops: ops, seconds: elapsed / .seconds(1), cpuSeconds: cpu, contextSwitches: switches)
}
