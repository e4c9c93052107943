extension PGConnection {
    /// Looks up what became of a transaction whose COMMIT had an unknown outcome
    /// (``PGError/transactionID`` of a ``PGError/Kind/commitStateUnknown`` error), on this
    /// connection, which must reach the same server (the primary) as the lost one.
    ///
    /// ```swift
    /// catch let error as PGError where error.kind == .commitStateUnknown {
    ///     if let id = error.transactionID, try await pool.resolveCommit(id) == .committed { … }
    /// }
    /// ```
    ///
    /// - Throws: ``PGError``: the server's error, or ``PGError/Kind/invalidUsage`` when the id is
    ///   too old (or from another server) for the server to know it.
    public func resolveCommit(_ transaction: PGTransactionID) async throws -> PGCommitOutcome {
        let rows = try await query("SELECT pg_xact_status(\(transaction.description)::xid8)").collect()
        guard let status = try rows.first?.decode(String?.self, at: 0) else {
            throw PGError(
                .invalidUsage, message: "the server no longer knows transaction \(transaction) (too old, or another server's)",
                requestWasSent: true)
        }
        guard let outcome = PGCommitOutcome(rawValue: status) else {
            throw PGError(
                .protocolViolation, message: "pg_xact_status answered \(status)", requestWasSent: true)
        }
        return outcome
    }
}
