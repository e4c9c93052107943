public import Logging
import Tracing

extension PGConnection {
    /// Runs `body` in a transaction: BEGIN, the body, then COMMIT; ROLLBACK when the body throws.
    ///
    /// A COMMIT that the server answers with ROLLBACK (because a statement in the transaction
    /// had failed) throws ``PGError/Kind/transactionRolledBack``, never returns success. If the
    /// connection is lost after COMMIT was sent, the error is
    /// ``PGError/Kind/commitStateUnknown``: the transaction may or may not have committed, and
    /// nothing is retried.
    ///
    /// ```swift
    /// let balance = try await connection.withTransaction(.init(isolation: .serializable)) { conn in
    ///     try await conn.execute("UPDATE accounts SET balance = balance - \(amount) WHERE id = \(from)")
    ///     try await conn.execute("UPDATE accounts SET balance = balance + \(amount) WHERE id = \(to)")
    ///     return try await conn.query("SELECT balance FROM accounts WHERE id = \(from)").collect()
    /// }
    /// ```
    ///
    /// With a tracer, the transaction is one span, `transaction`, whose children are the spans of
    /// BEGIN, the body's statements, and COMMIT or ROLLBACK; it is failed when the transaction
    /// did not commit.
    ///
    /// - Parameters:
    ///   - isolation: the caller's actor, on which `body` runs (inferred; leave it out).
    ///   - options: isolation, access mode, deferrable, resolvable commit.
    ///   - logger: where the driver's lines about BEGIN, COMMIT and ROLLBACK go (a failed
    ///     ROLLBACK among them); `nil` uses the connection's ``logger``. The body's own calls
    ///     take a logger of their own.
    ///   - body: the work, given this connection.
    /// - Throws: what `body` throws (after the rollback), or ``PGError`` from BEGIN or COMMIT.
    @discardableResult
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ options: PGTransactionOptions = PGTransactionOptions(),
        logger: Logger? = nil,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        guard transactionStatus == .idle else {
            throw PGError(
                .invalidUsage, message: "a transaction is already open on this connection; use withSavepoint",
                requestWasSent: false)
        }
        let span = instrumentation.telemetry.startSpan(
            PGTelemetryNames.transactionSpan, kind: .internal, server: instrumentation.server)
        return try await withCurrentSpan(span) {
            try await runTransaction(options, logger: logger, body)
        }
    }

    /// BEGIN, `body`, COMMIT; ROLLBACK when `body` (or COMMIT before it left) fails.
    private func runTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ options: PGTransactionOptions, logger: Logger?, _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        let transactionID: PGTransactionID?
        do {
            transactionID = try await begin(options, logger: logger)
        } catch let error as PGError where error.requestWasSent && error.leftOutcomeUnknown {
            // BEGIN may yet run (its caller was let go before its answer): end what it opens.
            endTransactionWithoutWaiting(logger: logger)
            throw error
        }
        let result: Result
        do {
            result = try await body(self)
        } catch {
            await rollBackQuietly(after: error, logger: logger)
            throw error
        }
        do {
            try await commit(transactionID: transactionID, logger: logger)
        } catch let error as PGError where !error.requestWasSent {
            // COMMIT never left (the task was cancelled while it waited its turn): the
            // transaction is still open, and is rolled back like a failed body's.
            await rollBackQuietly(after: error, logger: logger)
            throw error
        }
        return result
    }

    /// Sends BEGIN, with the read of the transaction's id in the same round trip when the
    /// options ask for a resolvable commit.
    private func begin(_ options: PGTransactionOptions, logger: Logger?) async throws -> PGTransactionID? {
        guard options.resolvableCommit else {
            try await simpleQuery(options.beginStatement, logger: logger)
            return nil
        }
        let results = try await simpleQuery(
            options.beginStatement + "; SELECT pg_current_xact_id()::text", logger: logger)
        guard let text = try results.last?.rows.first?.decode(String?.self, at: 0), let id = PGTransactionID(text) else {
            throw PGError(
                .protocolViolation, message: "the server did not report the transaction's id", requestWasSent: true,
                query: "SELECT pg_current_xact_id()")
        }
        return id
    }

    /// Runs `body` inside a savepoint of the open transaction: released on success, rolled back
    /// to (leaving the transaction usable) when `body` throws.
    ///
    /// - Parameters:
    ///   - isolation: the caller's actor, on which `body` runs (inferred; leave it out).
    ///   - logger: where the driver's lines about SAVEPOINT, RELEASE and ROLLBACK TO go; `nil`
    ///     uses the connection's ``logger``.
    ///   - body: the work, given this connection.
    /// - Throws: what `body` throws, or ``PGError`` from SAVEPOINT or RELEASE.
    public func withSavepoint<Result>(
        isolation: isolated (any Actor)? = #isolation,
        logger: Logger? = nil,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        guard transactionStatus == .inTransaction else {
            throw PGError(.invalidUsage, message: "a savepoint needs an open transaction", requestWasSent: false)
        }
        let name = "pgwire_savepoint_\(savepointCounter())"
        try await simpleQuery("SAVEPOINT \(name)", logger: logger)
        do {
            let result = try await body(self)
            try await simpleQuery("RELEASE SAVEPOINT \(name)", logger: logger)
            return result
        } catch {
            if !isClosed { await undo("ROLLBACK TO SAVEPOINT \(name)", after: error, logger: logger) }
            throw error
        }
    }

    /// Commits the open transaction.
    ///
    /// - Parameter logger: where the driver's lines about COMMIT go; `nil` uses the
    ///   connection's ``logger``.
    /// - Throws: ``PGError/Kind/transactionRolledBack`` when the server rolled back instead,
    ///   ``PGError/Kind/commitStateUnknown`` when the connection broke after COMMIT was sent.
    public func commit(logger: Logger? = nil) async throws {
        try await commit(transactionID: nil, logger: logger)
    }

    /// Commits, naming the transaction in an error of unknown outcome.
    func commit(transactionID: PGTransactionID?, logger: Logger?) async throws {
        let results: [PGResultSet]
        do {
            results = try await simpleQuery("COMMIT", logger: logger)
        } catch let error as PGError where error.requestWasSent && error.leftOutcomeUnknown {
            var unknown = PGError(
                .commitStateUnknown,
                message: "the connection was lost after COMMIT was sent; the transaction may or may not have committed",
                requestWasSent: true, query: "COMMIT")
            unknown.transactionID = transactionID
            throw unknown
        }
        if results.last?.commandTag == "ROLLBACK" {
            throw PGError(
                .transactionRolledBack,
                message: "COMMIT was answered with ROLLBACK: an earlier statement of the transaction failed, and nothing was committed",
                requestWasSent: true, query: "COMMIT")
        }
    }

    private func rollBackQuietly(after error: any Error, logger: Logger?) async {
        guard !isClosed, transactionStatus != .idle else { return }
        await undo("ROLLBACK", after: error, logger: logger)
    }

    /// Runs a ROLLBACK (or ROLLBACK TO SAVEPOINT) after `error`, logging its own failure: the
    /// caller's error is the one it needs. A cancelled caller does not wait for it (see
    /// ``sendWithoutWaiting(_:what:logger:)``): a statement before it may still be ending.
    private func undo(_ sql: String, after error: any Error, logger: Logger?) async {
        if Task.isCancelled {
            sendWithoutWaiting(sql, what: "\(sql) after a cancelled caller failed", logger: logger)
            return
        }
        do {
            try await simpleQuery(sql, logger: logger)
        } catch let undoError {
            logUndoFailure("\(sql) after a failure failed", undoError, cause: error, logger: requestLogger(logger))
        }
    }

    /// Logs that a ROLLBACK (or ROLLBACK TO SAVEPOINT) failed. A warning while the connection is
    /// open, since the session may be left inside the transaction and that needs an operator's
    /// eye; only `debug` once the connection is closed, since the server then ended the
    /// transaction with the session and the caller already has the connection's error.
    func logUndoFailure(_ what: Logger.Message, _ error: any Error, cause: (any Error)? = nil, logger: Logger) {
        var metadata: Logger.Metadata = ["error": "\(error)"]
        if let cause { metadata["cause"] = "\(cause)" }
        logger.log(level: isClosed ? .debug : .warning, what, metadata: metadata)
    }

    /// Rolls back without waiting: the caller was cancelled, and a statement before the
    /// ROLLBACK may still be ending (see ``Options/cancelTimeout``). The ROLLBACK goes before
    /// anything the caller sends next; ROLLBACK outside a transaction only warns.
    private func endTransactionWithoutWaiting(logger: Logger?) {
        guard !isClosed else { return }
        sendWithoutWaiting("ROLLBACK", what: "ROLLBACK after a cancelled transaction failed", logger: logger)
    }
}
