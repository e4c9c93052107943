public import Logging
public import PGWire

/// A statement with the Swift types of its parameters fixed, for running through a pool: the
/// compiler checks the values of every run, and each connection prepares it once (in its
/// statement cache, under the same parameter types) the first time it runs there, so a run
/// sends only Bind and Execute afterwards.
///
/// Unlike a ``PGPreparedStatement``, which belongs to one connection, a pool statement belongs to
/// none: it can be made once, kept in a `static let`, and run on whichever connection the pool
/// lends, and survives the pool's session resets.
///
/// ```swift
/// static let invoiceTotal = PGPoolStatement(
///     "SELECT sum(amount) FROM invoice_lines WHERE invoice_id = $1", parameters: UUID.self)
/// let rows = try await pool.query(Self.invoiceTotal, invoiceID)
/// ```
public struct PGPoolStatement<each Parameter: PGEncodable>: Sendable {
    /// The SQL text, with `$1`, `$2`, … for the parameters.
    public let sql: String

    /// Creates a statement; nothing is sent until it runs.
    ///
    /// - Parameters:
    ///   - sql: the statement, with `$1`, `$2`, … for the parameters.
    ///   - parameters: the Swift types of the parameters.
    public init(_ sql: String, parameters: (repeat each Parameter).Type) {
        self.sql = sql
    }

    /// The statement with these values bound.
    func query(_ value: repeat each Parameter) throws(PGError) -> PGQuery {
        var bindings = PGBindings()
        for value in repeat each value { try bindings.append(value) }
        return PGQuery(unsafeSQL: sql, bindings: bindings)
    }
}

extension PGPool {
    /// Runs a typed statement with these values on a pooled connection and returns its rows,
    /// read into memory (as ``query(_:logger:)``).
    ///
    /// ```swift
    /// let byEmail = PGPoolStatement("SELECT id FROM users WHERE email = $1", parameters: String.self)
    /// let rows = try await pool.query(byEmail, "ada@example.com")
    /// ```
    ///
    /// - Parameters:
    ///   - statement: the statement.
    ///   - value: its parameters' values.
    ///   - logger: where the lines about this request go; `nil` uses the pool's and the
    ///     connection's loggers.
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` for a value that cannot be
    ///   encoded; otherwise as ``query(_:logger:)``.
    nonisolated(nonsending) public func query<each Parameter: PGEncodable>(
        _ statement: PGPoolStatement<repeat each Parameter>, _ value: repeat each Parameter, logger: Logger? = nil
    ) async throws -> [PGRow] {
        try await query(try statement.query(repeat each value), logger: logger)
    }

    /// Runs a typed statement whose rows are not wanted on a pooled connection.
    ///
    /// ```swift
    /// let touch = PGPoolStatement("UPDATE sessions SET seen_at = now() WHERE id = $1", parameters: UUID.self)
    /// try await pool.execute(touch, sessionID)
    /// ```
    ///
    /// - Throws: as the `query` of a typed statement.
    @discardableResult
    nonisolated(nonsending) public func execute<each Parameter: PGEncodable>(
        _ statement: PGPoolStatement<repeat each Parameter>, _ value: repeat each Parameter, logger: Logger? = nil
    ) async throws -> PGCommandResult {
        try await execute(try statement.query(repeat each value), logger: logger)
    }

    /// Runs a typed statement on a connection of its own and streams its rows (as
    /// ``stream(_:logger:)``: the connection is held until the rows end or the sequence is
    /// dropped).
    ///
    /// ```swift
    /// let events = PGPoolStatement("SELECT * FROM events WHERE org = $1", parameters: UUID.self)
    /// for try await row in try await pool.stream(events, org) { … }
    /// ```
    ///
    /// - Throws: as the `query` of a typed statement.
    nonisolated(nonsending) public func stream<each Parameter: PGEncodable>(
        _ statement: PGPoolStatement<repeat each Parameter>, _ value: repeat each Parameter, logger: Logger? = nil
    ) async throws -> PGPooledRowSequence {
        try await stream(try statement.query(repeat each value), logger: logger)
    }
}
