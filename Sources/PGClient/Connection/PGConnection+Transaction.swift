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
    /// - Throws: what `body` throws (after the rollback), or ``PGError`` from BEGIN or COMMIT.
    @discardableResult
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ options: PGTransactionOptions = PGTransactionOptions(),
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        guard transactionStatus == .idle else {
            throw PGError(
                .invalidUsage, message: "a transaction is already open on this connection; use withSavepoint",
                requestWasSent: false)
        }
        let transactionID: PGTransactionID?
        do {
            transactionID = try await begin(options)
        } catch let error as PGError where error.requestWasSent && error.leftOutcomeUnknown {
            // BEGIN may yet run (its caller was let go before its answer): end what it opens.
            endTransactionWithoutWaiting()
            throw error
        }
        let result: Result
        do {
            result = try await body(self)
        } catch {
            await rollBackQuietly(after: error)
            throw error
        }
        do {
            try await commit(transactionID: transactionID)
        } catch let error as PGError where !error.requestWasSent {
            // COMMIT never left (the task was cancelled while it waited its turn): the
            // transaction is still open, and is rolled back like a failed body's.
            await rollBackQuietly(after: error)
            throw error
        }
        return result
    }

    /// Sends BEGIN, with the read of the transaction's id in the same round trip when the
    /// options ask for a resolvable commit.
    private func begin(_ options: PGTransactionOptions) async throws -> PGTransactionID? {
        guard options.resolvableCommit else {
            try await simpleQuery(options.beginStatement)
            return nil
        }
        let results = try await simpleQuery(options.beginStatement + "; SELECT pg_current_xact_id()::text")
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
    /// - Throws: what `body` throws, or ``PGError`` from SAVEPOINT or RELEASE.
    public func withSavepoint<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        guard transactionStatus == .inTransaction else {
            throw PGError(.invalidUsage, message: "a savepoint needs an open transaction", requestWasSent: false)
        }
        let name = "pgwire_savepoint_\(savepointCounter())"
        try await simpleQuery("SAVEPOINT \(name)")
        do {
            let result = try await body(self)
            try await simpleQuery("RELEASE SAVEPOINT \(name)")
            return result
        } catch {
            if !isClosed { await undo("ROLLBACK TO SAVEPOINT \(name)", after: error) }
            throw error
        }
    }

    /// Commits the open transaction.
    ///
    /// - Throws: ``PGError/Kind/transactionRolledBack`` when the server rolled back instead,
    ///   ``PGError/Kind/commitStateUnknown`` when the connection broke after COMMIT was sent.
    public func commit() async throws {
        try await commit(transactionID: nil)
    }

    /// Commits, naming the transaction in an error of unknown outcome.
    func commit(transactionID: PGTransactionID?) async throws {
        let results: [PGResultSet]
        do {
            results = try await simpleQuery("COMMIT")
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

    private func rollBackQuietly(after error: any Error) async {
        guard !isClosed, transactionStatus != .idle else { return }
        await undo("ROLLBACK", after: error)
    }

    /// Runs a ROLLBACK (or ROLLBACK TO SAVEPOINT) after `error`, logging its own failure: the
    /// caller's error is the one it needs. A cancelled caller does not wait for it (see
    /// ``sendWithoutWaiting(_:what:)``): a statement before it may still be ending.
    private func undo(_ sql: String, after error: any Error) async {
        if Task.isCancelled {
            sendWithoutWaiting(sql, what: "\(sql) after a cancelled caller failed")
            return
        }
        do {
            try await simpleQuery(sql)
        } catch let undoError {
            logger.warning("\(sql) after a failure failed", metadata: ["error": "\(undoError)", "cause": "\(error)"])
        }
    }

    /// Rolls back without waiting: the caller was cancelled, and a statement before the
    /// ROLLBACK may still be ending (see ``Options/cancelTimeout``). The ROLLBACK goes before
    /// anything the caller sends next; ROLLBACK outside a transaction only warns.
    private func endTransactionWithoutWaiting() {
        guard !isClosed else { return }
        sendWithoutWaiting("ROLLBACK", what: "ROLLBACK after a cancelled transaction failed")
    }
}
