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
    /// later one with ``PGError/Kind/skipped``. Rows are held in memory; stream large results with
    /// ``query(_:)``, which pipelines too when called from several tasks.
    ///
    /// - Throws: ``PGError`` only when the pipeline could not be sent (a value that cannot be
    ///   encoded, a closed connection); statement failures are in the results.
    public func pipeline(
        _ queries: [PGQuery], sync: PipelineSync = .once
    ) async throws -> [Result<PGResultSet, PGError>] {
        if let error = queries.lazy.compactMap(\.encodingError).first { throw error }
        guard !queries.isEmpty else { return [] }
        switch sync {
        case .once:
            let promise = channel.eventLoop.makePromise(of: [Result<PGResultSet, PGError>].self)
            return try await submit(PGRequest(id: makeRequestID(), kind: .batch(queries, promise: promise)), promise.futureResult)
        case .afterEach:
            var futures: [EventLoopFuture<[Result<PGResultSet, PGError>]>] = []
            futures.reserveCapacity(queries.count)
            for query in queries {
                let promise = channel.eventLoop.makePromise(of: [Result<PGResultSet, PGError>].self)
                let request = PGRequest(id: makeRequestID(), kind: .batch([query], promise: promise))
                channel.write(request).whenFailure { error in
                    request.fail(PGError(.connectionClosed, message: "the connection is closed (\(error))", requestWasSent: false, query: query.sql))
                }
                futures.append(promise.futureResult)
            }
            channel.flush()
            var results: [Result<PGResultSet, PGError>] = []
            results.reserveCapacity(queries.count)
            for future in futures {
                do {
                    results.append(contentsOf: try await future.get())
                } catch let error as PGError {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }
}
