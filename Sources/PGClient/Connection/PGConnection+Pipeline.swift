public import Logging
import NIOCore

extension PGConnection {
    /// How a pipeline ends its statements.
    public enum PipelineSync: Sendable, Hashable {
        /// One Sync after the last statement: an error in one statement skips the rest, and
        /// outside a transaction block the statements commit together.
        case once
        /// A Sync after each statement: each runs (and commits) on its own; an error affects
        /// only its statement.
        case afterEach
    }

    /// Sends many statements in one write, without waiting for results in between, and returns
    /// each statement's result in order: its rows (collected) or its error.
    ///
    /// ```swift
    /// let results = try await connection.pipeline([
    ///     "INSERT INTO ledger (account, amount) VALUES (\(a), \(x))",
    ///     "INSERT INTO ledger (account, amount) VALUES (\(b), \(-x))",
    ///     "SELECT sum(amount) FROM ledger",
    /// ])
    /// let total = try results[2].get().rows[0].decode(PGNumeric.self, at: 0)
    /// ```
    ///
    /// With ``PipelineSync/once``, statement k failing fails k with the server's error and every
    /// later one with ``PGError/Kind/skipped``; 32 statements or more carry a Flush before their
    /// last eighth, as a batch does. Rows are held in memory; stream large results with
    /// ``query(_:logger:)``, which pipelines too when called from several tasks.
    ///
    /// If the calling task is cancelled while it waits, what is not answered yet is cancelled as
    /// a query is: a statement the server stops has its `query_canceled` error; if the caller
    /// stops waiting first, the statements not answered fail with ``PGError/Kind/cancelled``
    /// (with ``PipelineSync/once``, the call throws it).
    ///
    /// The pipeline is one span and one `db.client.operation.duration` (operation `BATCH`, or
    /// `BATCH INSERT` when every statement is an INSERT, with `db.operation.batch.size`), failed
    /// with the first statement that failed.
    ///
    /// - Parameters:
    ///   - queries: the statements, in order.
    ///   - sync: one Sync for all, or one after each.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger`` (see ``query(_:logger:)``).
    /// - Throws: ``PGError`` only when the pipeline could not be sent (a value that cannot be
    ///   encoded, a closed connection); statement failures are in the results.
    nonisolated(nonsending) public func pipeline(
        _ queries: [PGQuery], sync: PipelineSync = .once, logger: Logger? = nil
    ) async throws -> [Result<PGResultSet, PGError>] {
        guard !queries.isEmpty else { return [] }
        let observer = observe(.statements(queries), logger: logger)
        return try await observing(observer, failure: firstFailure) {
            if let error = queries.lazy.compactMap(\.encodingError).first { throw error }
            return try await sendPipeline(queries, sync: sync, observer: observer)
        }
    }

    private nonisolated(nonsending) func sendPipeline(
        _ queries: [PGQuery], sync: PipelineSync, observer: PGOperationObserver?
    ) async throws -> [Result<PGResultSet, PGError>] {
        switch sync {
        case .once:
            let result = PGPendingValue<[Result<PGResultSet, PGError>]>()
            return try await submit(
                PGRequest(id: makeRequestID(), kind: .batch(.queries(queries), result: result), observer: observer), result)
        case .afterEach:
            // Each statement is a request of its own, written as a query is: from off the event
            // loop they join the submission queue and go out together with one flush.
            let started = queries.map { query in
                let result = PGPendingValue<[Result<PGResultSet, PGError>]>()
                return start(
                    PGRequest(id: makeRequestID(), kind: .batch(.queries([query]), result: result), observer: observer),
                    result)
            }
            return try await withTaskCancellationHandler {
                var results: [Result<PGResultSet, PGError>] = []
                results.reserveCapacity(queries.count)
                for request in started {
                    do {
                        results.append(contentsOf: try await waitIgnoringCancellation(for: request))
                    } catch let error as PGError {
                        results.append(.failure(error))
                    }
                }
                return results
            } onCancel: {
                // The last first: the statement that runs is cancelled by the server only when
                // what a late cancel could stop behind it is its own, and let go already.
                self.cancel(started.reversed().map(\.id))
            }
        }
    }

    /// Runs a batch — one statement, many parameter sets — as one pipeline with one Sync, and
    /// returns each set's result in order: its rows (collected) or its error.
    ///
    /// ```swift
    /// var batch = PGBatch("SELECT name FROM users WHERE id = $1")
    /// for id in ids { try batch.append(id) }
    /// let names = try await connection.pipeline(batch).map { try $0.get().rows.first?.decode(String.self) }
    /// ```
    ///
    /// The statement is prepared once (or comes from the statement cache) and each set is a
    /// Bind and an Execute. Set k failing fails k with the server's error and every later one
    /// with ``PGError/Kind/skipped``; outside a transaction block the sets commit together.
    /// A batch of 32 sets or more carries a Flush before its last eighth, so that the server
    /// sends the results it has by then and they are read while it runs the rest.
    ///
    /// The batch is one span and one `db.client.operation.duration` (operation `BATCH INSERT`
    /// for a batch of INSERTs, with `db.operation.batch.size`; a batch of one set is reported
    /// as that statement), failed with the first set that failed.
    ///
    /// - Parameters:
    ///   - batch: the statement and its parameter sets.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger`` (see ``query(_:logger:)``).
    /// - Throws: ``PGError`` only when the batch could not be sent (a closed connection);
    ///   statement failures are in the results.
    nonisolated(nonsending) public func pipeline(
        _ batch: PGBatch, logger: Logger? = nil
    ) async throws -> [Result<PGResultSet, PGError>] {
        guard !batch.isEmpty else { return [] }
        let observer = observe(.batch(batch), logger: logger)
        return try await observing(observer, failure: firstFailure) {
            let result = PGPendingValue<[Result<PGResultSet, PGError>]>()
            return try await submit(
                PGRequest(id: makeRequestID(), kind: .batch(.repeated(batch), result: result), observer: observer), result)
        }
    }
}
