/// A request as telemetry sees it, before anything is read from its text: built only when
/// something observes the request, and summarized once.
enum PGOperation: Sendable {
    /// One statement; parameterized when its values travel as bound parameters (its text then has
    /// `$n` where they go, and is reported as it is).
    case statement(String, parameterized: Bool)
    /// Preparing a statement under a name (``PGConnection/prepare(_:parameters:logger:)``).
    case prepare(String)
    /// Separate statements sent together (``PGConnection/pipeline(_:sync:logger:)``).
    case statements([PGQuery])
    /// One statement run with many parameter sets (``PGBatch``).
    case batch(PGBatch)

    /// What telemetry reports of the operation; the text and the table only when asked for
    /// (a span wants them, a metric only the operation's name).
    func summary(text: Bool, collection: Bool) -> PGOperationSummary {
        switch self {
        case .statement(let sql, let parameterized):
            return PGOperationSummary(sql, parameterized: parameterized, text: text, collection: collection)
        case .prepare(let sql):
            var summary = PGOperationSummary(sql, parameterized: true, text: text, collection: collection)
            summary.operationName = "PREPARE"
            return summary
        case .statements(let queries):
            if queries.count == 1, let query = queries.first {
                return PGOperationSummary(query.sql, parameterized: query.isParameterized, text: text, collection: collection)
            }
            let each = queries.map {
                PGOperationSummary($0.sql, parameterized: $0.isParameterized, text: text, collection: collection)
            }
            return PGOperationSummary(batchOf: each)
        case .batch(let batch):
            let one = PGOperationSummary(batch.sql, parameterized: batch.types.count > 0, text: text, collection: collection)
            return batch.count == 1 ? one : PGOperationSummary(batchOf: [one], size: batch.count)
        }
    }
}

/// What telemetry reports of one operation (OpenTelemetry's `db.operation.name`,
/// `db.collection.name`, `db.query.text` and `db.operation.batch.size`).
struct PGOperationSummary: Sendable, Hashable {
    /// The statement's first keyword (`SELECT`), `BATCH SELECT` for a batch of statements that
    /// share one, `BATCH` for a batch of different ones, `PREPARE`; `nil` when unknown.
    var operationName: String?
    /// The table the statement names first, when asked for and found.
    var collectionName: String?
    /// The text: as written when parameterized, else with its literals replaced by `?`; for a
    /// batch, the statements' shared text or all of them joined by `; `. When asked for.
    var queryText: String?
    /// The number of statements of a batch (2 or more); `nil` for one statement.
    var batchSize: Int?

    init(operationName: String? = nil, collectionName: String? = nil, queryText: String? = nil, batchSize: Int? = nil) {
        self.operationName = operationName
        self.collectionName = collectionName
        self.queryText = queryText
        self.batchSize = batchSize
    }

    /// One statement's summary.
    init(_ sql: String, parameterized: Bool, text: Bool, collection: Bool) {
        if collection {
            (operationName, collectionName) = PGSQLText.operationAndCollection(of: sql)
        } else {
            operationName = PGSQLText.operationName(of: sql)
        }
        self.queryText = text ? (parameterized ? sql : PGSQLText.sanitized(sql)) : nil
    }

    /// The summary of a batch of `size` statements (by default, as many as summaries), following
    /// the conventions for batches: a shared name prefixed with `BATCH `, a shared table, a
    /// shared text or the texts joined.
    init(batchOf statements: [PGOperationSummary], size: Int? = nil) {
        let first = statements.first
        let names = Set(statements.map(\.operationName))
        if names.count == 1, let name = first?.operationName {
            operationName = "BATCH " + name
        } else {
            operationName = "BATCH"
        }
        if Set(statements.map(\.collectionName)).count == 1 { collectionName = first?.collectionName }
        if first?.queryText != nil {
            let texts = statements.compactMap(\.queryText)
            queryText = Set(texts).count == 1 ? texts[0] : texts.joined(separator: "; ")
        }
        batchSize = size ?? statements.count
    }

    /// The span's name by the conventions: `{operation} {table}`, else `{operation}
    /// {database}`, else `{table}` or `{database}`, else `postgresql`.
    func spanName(namespace: String?) -> String {
        let target = collectionName ?? namespace
        switch (operationName, target) {
        case (let operation?, let target?): return operation + " " + target
        case (let operation?, nil): return operation
        case (nil, let target?): return target
        case (nil, nil): return PGTelemetryNames.postgresql
        }
    }
}

extension PGQuery {
    /// Whether the query's values travel as bound parameters (or it runs a prepared statement).
    var isParameterized: Bool { bindings.count > 0 || prepared != nil }
}
