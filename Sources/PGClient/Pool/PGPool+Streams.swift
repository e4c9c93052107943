public import Logging
public import NIOCore

extension PGPool {
    /// Runs a statement on a connection of its own and streams its rows; the connection is held
    /// while the rows are read and goes back when the last one is read, the statement fails, or
    /// the sequence is dropped (see ``PGPooledSequence``).
    ///
    /// ```swift
    /// let rows = try await pool.stream("SELECT id, payload FROM events WHERE org = \(org)")
    /// for try await row in rows { try handle(row.decode((UUID, String).self)) }
    /// ```
    ///
    /// - Parameters:
    ///   - query: the statement; interpolated values become parameters.
    ///   - logger: where the lines about this request go; `nil` uses the pool's and the
    ///     connection's loggers.
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/query(_:logger:)`` (the
    ///   connection is then back in the pool); errors while reading end the sequence.
    nonisolated(nonsending) public func stream(_ query: PGQuery, logger: Logger? = nil) async throws -> PGPooledRowSequence {
        try await leasing(logger: logger) { connection in
            try await connection.query(query, logger: logger)
        }
    }

    /// Runs `COPY … TO STDOUT` on a connection of its own and streams its data; the connection is
    /// held until the data ends or the sequence is dropped (leaving early cancels the COPY).
    ///
    /// ```swift
    /// for try await chunk in try await pool.copyOut("COPY invoices TO STDOUT (FORMAT csv)") {
    ///     output.write(chunk)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - sql: the `COPY … TO STDOUT` statement.
    ///   - logger: where the lines about this request go; `nil` uses the pool's and the
    ///     connection's loggers.
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/copyOut(_:logger:)``.
    public func copyOut(_ sql: String, logger: Logger? = nil) async throws -> PGPooledCopyOutSequence {
        try await leasing(logger: logger) { connection in
            try await connection.copyOut(sql, logger: logger)
        }
    }

    /// Runs `COPY … FROM STDIN` on a pooled connection, held until the server has answered the
    /// data (see ``PGConnection/copyIn(_:from:logger:)``).
    ///
    /// ```swift
    /// try await pool.copyIn("COPY users (id, name) FROM STDIN (FORMAT csv)", from: lines)
    /// ```
    ///
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/copyIn(_:from:logger:)``.
    @discardableResult
    public func copyIn<Source: AsyncSequence & Sendable>(
        _ sql: String, from data: Source, logger: Logger? = nil
    ) async throws -> PGCommandResult where Source.Element == ByteBuffer {
        try await withConnection(logger: logger) { connection in
            try await connection.copyIn(sql, from: data, logger: logger)
        }
    }

    /// Runs a binary `COPY … FROM STDIN (FORMAT binary)` of encoded rows on a pooled connection
    /// (see ``PGConnection/copyIn(_:rows:logger:)-(_,Rows,_)``).
    ///
    /// ```swift
    /// try await pool.copyIn("COPY ledger (account, amount) FROM STDIN (FORMAT binary)",
    ///                       rows: entries.async.map { try PGCopyRow($0.account, $0.amount) })
    /// ```
    ///
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/copyIn(_:rows:logger:)-(_,Rows,_)``.
    @discardableResult
    public func copyIn<Rows: AsyncSequence & Sendable>(
        _ sql: String, rows: Rows, logger: Logger? = nil
    ) async throws -> PGCommandResult where Rows.Element == PGCopyRow {
        try await withConnection(logger: logger) { connection in
            try await connection.copyIn(sql, rows: rows, logger: logger)
        }
    }

    /// Runs a binary `COPY … FROM STDIN (FORMAT binary)` whose rows `write` appends, on a pooled
    /// connection (see ``PGConnection/copyIn(_:logger:write:)``).
    ///
    /// ```swift
    /// try await pool.copyIn("COPY ledger (account, amount) FROM STDIN (FORMAT binary)") { writer in
    ///     for entry in entries { try await writer.append(entry.account, entry.amount) }
    /// }
    /// ```
    ///
    /// - Throws: as ``withConnection(isolation:logger:_:)`` and ``PGConnection/copyIn(_:logger:write:)``.
    @discardableResult
    public func copyIn(
        _ sql: String, logger: Logger? = nil, write: (inout PGCopyWriter) async throws -> Void
    ) async throws -> PGCommandResult {
        try await withConnection(logger: logger) { connection in
            try await connection.copyIn(sql, logger: logger, write: write)
        }
    }

    /// Leases a connection to `start`, and hands back what it starts streaming, which holds the
    /// connection until it ends; when `start` throws, the connection goes back at once.
    nonisolated(nonsending) func leasing<Base: AsyncSequence & Sendable>(
        logger: Logger?, _ start: (PGConnection) async throws -> Base
    ) async throws -> PGPooledSequence<Base> {
        let connection = try await acquire(logger: logger)
        let lease = PGPoolLease(pool: self, connection: connection, leasedAt: metrics.map { _ in clock.now() })
        do {
            return PGPooledSequence(base: try await start(connection), lease: lease)
        } catch {
            lease.release()
            throw error
        }
    }
}
