public import Logging

extension PGConnection {
    /// Runs a binary `COPY … FROM STDIN (FORMAT binary)` with rows already in memory.
    ///
    /// ```swift
    /// try await connection.copyIn(
    ///     "COPY payments (user_id, amount, memo) FROM STDIN (FORMAT binary)",
    ///     rows: payments.map { try PGCopyRow($0.user, $0.amount, $0.memo) })
    /// ```
    ///
    /// - Parameters:
    ///   - sql: the `COPY … FROM STDIN (FORMAT binary)` statement.
    ///   - rows: the rows to send, in order.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger``.
    /// - Throws: ``PGError``, as ``copyIn(_:from:logger:)``; nothing of the COPY is committed
    ///   when it fails.
    @discardableResult
    public func copyIn(
        _ sql: String, rows: some Sequence<PGCopyRow> & Sendable, logger: Logger? = nil
    ) async throws -> PGCommandResult {
        try await copyIn(sql, rows: PGCopyRowsInMemory(rows: rows), logger: logger)
    }
}

/// Rows in memory, read as the asynchronous sequence the streaming `copyIn` takes.
struct PGCopyRowsInMemory<Rows: Sequence<PGCopyRow> & Sendable>: AsyncSequence, Sendable {
    typealias Element = PGCopyRow
    let rows: Rows

    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: Rows.Iterator
        mutating func next() async -> PGCopyRow? { iterator.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: rows.makeIterator()) }
}
