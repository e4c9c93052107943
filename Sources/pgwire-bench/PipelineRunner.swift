import PGClient

/// Sends a batch of statements on one connection without waiting for each result before the
/// next, and returns every row of every statement, in statement order.
///
/// The pipelined workloads (`pipeline_100`, `insert_100k_pipeline`) go through this one seam, so
/// PGClient's explicit pipeline API replaces ``ConcurrentQueriesPipeline`` by adding a conformer
/// and changing ``BenchPipeline/current``.
protocol PipelineRunner: Sendable {
    /// A few words for the report, such as `"task group of query calls"`.
    var name: String { get }

    func run(_ queries: [PGQuery], on connection: PGConnection) async throws -> [PGRow]
}

/// The pipeline the benchmark uses.
enum BenchPipeline {
    static let current: any PipelineRunner = ExplicitPipeline()
}

/// Implicit pipelining: one child task per statement, all calling `query` on the same
/// connection, which writes each request as soon as it is made. Every statement is its own
/// Parse/Bind/Execute/Sync and its own flush, so this is the ceiling of what concurrency alone
/// gives, not of what an explicit pipeline (one write, one Sync) can give.
struct ConcurrentQueriesPipeline: PipelineRunner {
    var name: String { "task group of concurrent query calls" }

    func run(_ queries: [PGQuery], on connection: PGConnection) async throws -> [PGRow] {
        try await withThrowingTaskGroup(of: (Int, [PGRow]).self) { group in
            for (index, query) in queries.enumerated() {
                group.addTask { (index, try await connection.query(query).collect()) }
            }
            var results = [[PGRow]](repeating: [], count: queries.count)
            for try await (index, rows) in group { results[index] = rows }
            return results.flatMap { $0 }
        }
    }
}

/// The explicit pipeline: every statement in one write with one Sync (`PGConnection.pipeline`),
/// each a cached prepared statement after the first batch (Bind/Execute only).
struct ExplicitPipeline: PipelineRunner {
    var name: String { "PGConnection.pipeline, one Sync per batch" }

    func run(_ queries: [PGQuery], on connection: PGConnection) async throws -> [PGRow] {
        var rows: [PGRow] = []
        for result in try await connection.pipeline(queries, sync: .once) {
            rows.append(contentsOf: try result.get().rows)
        }
        return rows
    }
}
