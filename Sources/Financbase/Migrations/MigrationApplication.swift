import PGClient

/// Applies one migration: BEGIN, `SET LOCAL ROLE financbase_owner`, the file, a check that the
/// file left the transaction and role alone, `RESET ROLE`, the journal row, COMMIT.
enum MigrationApplication {
    /// Applies `migration` and returns how long it took from BEGIN to COMMIT.
    ///
    /// - Throws: ``MigrationError/migrationFailed(version:name:line:column:error:)`` when the
    ///   file's SQL fails, ``MigrationError/transactionEnded(version:name:)`` when it ended the
    ///   transaction or changed the role; ``PGError`` for the runner's own statements. The
    ///   transaction is rolled back in every case but a COMMIT whose outcome is unknown.
    static func apply(_ migration: Migration, on connection: PGConnection) async throws -> Duration
    {
        let clock = ContinuousClock()
        let start = clock.now
        try await connection.simpleQuery("BEGIN")
        do {
            try await connection.simpleQuery("SET LOCAL ROLE \(MigrationRoles.owner)")
            let before = try await transactionID(on: connection)
            do {
                try await connection.simpleQuery(migration.sql)
            } catch let error as PGError {
                let (line, column) = location(of: error.position, in: migration.sql)
                throw MigrationError.migrationFailed(
                    version: migration.version, name: migration.name, line: line, column: column,
                    error: error)
            }
            try await checkContext(since: before, of: migration, on: connection)
            try await connection.simpleQuery("RESET ROLE")
            try await MigrationJournal.record(
                migration, milliseconds: (clock.now - start).wholeMilliseconds, on: connection)
            try await connection.commit()
        } catch {
            if !connection.isClosed && connection.transactionStatus != .idle {
                do {
                    try await connection.simpleQuery("ROLLBACK")
                } catch let rollbackError {
                    // The migration's error is the one to report; this one is logged, not lost.
                    connection.logger.warning(
                        "ROLLBACK after a failed migration failed",
                        metadata: ["error": "\(rollbackError)"])
                }
            }
            throw error
        }
        return clock.now - start
    }

    /// The current transaction's id (assigning one, which the migration would do anyway).
    private static func transactionID(on connection: PGConnection) async throws -> Int64 {
        let rows = try await connection.query("SELECT txid_current()").collect()
        return try rows.first?.decode(Int64.self, at: 0) ?? 0
    }

    /// The scan for transaction control catches the plain cases before anything runs; this
    /// catches the rest (a COMMIT run by `EXECUTE` in a procedure, say) before the journal row.
    private static func checkContext(
        since transaction: Int64, of migration: Migration, on connection: PGConnection
    ) async throws {
        let ended = MigrationError.transactionEnded(
            version: migration.version, name: migration.name)
        guard connection.transactionStatus == .inTransaction else { throw ended }
        let rows = try await connection.query(
            "SELECT txid_current() = \(transaction) AND current_user = \(MigrationRoles.owner)"
        ).collect()
        guard let row = rows.first, try row.decode(Bool.self, at: 0) else { throw ended }
    }

    /// The 1-based line and column of the server's 1-based character `position` in `sql`.
    static func location(of position: Int?, in sql: String) -> (line: Int?, column: Int?) {
        guard let position, position >= 1 else { return (nil, nil) }
        var line = 1
        var column = 1
        for (offset, scalar) in sql.unicodeScalars.enumerated() {
            if offset == position - 1 { return (line, column) }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (nil, nil)
    }
}
