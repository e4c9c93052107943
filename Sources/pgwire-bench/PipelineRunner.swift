import ArgumentParser
import PGClient

/// How the pipelined workloads (`pipeline_100`, `insert_100k_pipeline`) send a group of
/// statements on one connection without waiting for each result before the next.
protocol PipelineRunner: Sendable {
    /// A few words for the report.
    var name: String { get }

    /// `SELECT $1::int4` for each value, in one pipeline; the rows in order.
    func select(_ values: [Int32], on connection: PGConnection) async throws -> [PGRow]

    /// The INSERT of each ledger row, in one pipeline.
    func insert(_ rows: Range<Int>, on connection: PGConnection) async throws
}

/// The pipelines the benchmark can use (`--pipeline`).
enum BenchPipeline: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// One statement with a parameter set per execution (`PGBatch`): Bind/Execute of one
    /// prepared statement per set, as pgbench's pipeline of one prepared statement does.
    case batch
    /// A list of separate queries (`PGConnection.pipeline(_: [PGQuery])`), each built by string
    /// interpolation and looked up in the statement cache on its own.
    case queries

    var runner: any PipelineRunner {
        switch self {
        case .batch: BatchPipeline()
        case .queries: QueriesPipeline()
        }
    }
}

/// `PGConnection.pipeline(_: PGBatch)`: one statement, one parameter set per execution.
struct BatchPipeline: PipelineRunner {
    var name: String { "PGConnection.pipeline(PGBatch), one Sync per batch" }

    func select(_ values: [Int32], on connection: PGConnection) async throws -> [PGRow] {
        var batch = PGBatch("SELECT $1::int4")
        for value in values { try batch.append(value) }
        return try await allRows(of: connection.pipeline(batch))
    }

    func insert(_ rows: Range<Int>, on connection: PGConnection) async throws {
        var batch = PGBatch(LedgerRow.insertSQL)
        for i in rows {
            let row = try LedgerRow(i)
            try batch.append(row.userID, row.amount, row.description, row.createdAt)
        }
        _ = try await allRows(of: connection.pipeline(batch))
    }
}

/// `PGConnection.pipeline(_: [PGQuery])`: separate queries, one Sync per batch.
struct QueriesPipeline: PipelineRunner {
    var name: String { "PGConnection.pipeline([PGQuery]), one Sync per batch" }

    func select(_ values: [Int32], on connection: PGConnection) async throws -> [PGRow] {
        try await allRows(of: connection.pipeline(values.map { "SELECT \($0)::int4" }))
    }

    func insert(_ rows: Range<Int>, on connection: PGConnection) async throws {
        let queries = try rows.map { i throws(BenchError) in try LedgerRow(i).insert }
        _ = try await allRows(of: connection.pipeline(queries))
    }
}

/// Every row of every statement, in order; the first failure is thrown.
private func allRows(of results: [Result<PGResultSet, PGError>]) throws -> [PGRow] {
    var rows: [PGRow] = []
    rows.reserveCapacity(results.count)
    for result in results { rows.append(contentsOf: try result.get().rows) }
    return rows
}
