public import Logging
public import PGWire

/// A statement prepared once on one connection, under a name of its own, with the Swift types
/// of its parameters fixed: runs send only Bind and Execute, and the compiler checks the values.
///
/// ```swift
/// let insert = try await connection.prepare(
///     "INSERT INTO ledger (account, amount) VALUES ($1, $2)", parameters: (UUID, PGNumeric).self)
/// for entry in entries {
///     try await connection.execute(insert, entry.account, entry.amount)
/// }
/// ```
///
/// The automatic statement cache already prepares every query; an explicit statement is for
/// code that wants the types checked once, a statement the cache's LRU never evicts, or the
/// result's columns before the first run. It lives until ``PGConnection/deallocate(_:logger:)``, until
/// `DISCARD ALL`/`DEALLOCATE ALL`, or until the connection closes; preparing one marks the session
/// as changed, so a pool resets the connection (per its policy) before lending it again.
public struct PGPreparedStatement<each Parameter: PGEncodable>: Sendable {
    /// The SQL text, with `$1`, `$2`, … for the parameters.
    public let sql: String
    /// The statement's name on the server.
    public let name: String
    /// The columns of the statement's result (none for a statement that returns no rows).
    public let columns: PGColumns
    /// The connection the statement belongs to.
    let connectionID: ObjectIdentifier
    /// What each run's query carries to run this statement, made once.
    let target: PGQuery.Exceptional

    init(sql: String, name: String, columns: PGColumns, connectionID: ObjectIdentifier) {
        self.sql = sql
        self.name = name
        self.columns = columns
        self.connectionID = connectionID
        self.target = PGQuery.Exceptional(
            encodingError: nil, prepared: PGPreparedTarget(name: name, columns: columns))
    }
}

/// What a `PGQuery` runs in place of a cache lookup: an explicitly prepared statement.
struct PGPreparedTarget: Sendable {
    let name: String
    let columns: PGColumns

    /// What `prepare` sends: Parse under `name`, then Describe of the statement.
    struct Definition: Sendable {
        let name: String
        let sql: String
        let parameterTypes: [PGDataType]
    }
}

extension PGConnection {
    /// Prepares `sql` with parameters of the given Swift types (their PostgreSQL types are sent
    /// with Parse) and describes its result.
    ///
    /// ```swift
    /// let byID = try await connection.prepare("SELECT name FROM users WHERE id = $1", parameters: UUID.self)
    /// let rows = try await connection.query(byID, id).collect()
    /// ```
    ///
    /// Preparing is one span and one `db.client.operation.duration`, operation `PREPARE`; each
    /// run is then reported as its statement.
    ///
    /// - Parameters:
    ///   - sql: the statement, with `$1`, `$2`, … for the parameters.
    ///   - parameters: the Swift types of the parameters.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger`` (see ``query(_:logger:)``).
    /// - Throws: ``PGError`` with the server's error when the statement does not parse or its
    ///   parameters do not fit the types (it is then not prepared), or when the connection is
    ///   closed; ``PGError/Kind/invalidUsage`` behind a transaction-mode pooler
    ///   (``PGPoolerMode/transaction``).
    nonisolated(nonsending) public func prepare<each Parameter: PGEncodable>(
        _ sql: String, parameters: (repeat each Parameter).Type, logger: Logger? = nil
    ) async throws -> PGPreparedStatement<repeat each Parameter> {
        try pooler.requireSession(for: "prepare")
        var types: [PGDataType] = []
        for type in repeat (each Parameter).self { types.append(type.pgDataType) }
        let name = "pgwire_p\(makeRequestID().rawValue)"
        let definition = PGPreparedTarget.Definition(name: name, sql: sql, parameterTypes: types)
        let observer = observe(.prepare(sql), logger: logger)
        let described = try await observing(observer) {
            let result = PGPendingValue<PGColumns>()
            return try await submit(
                PGRequest(id: makeRequestID(), kind: .prepare(definition, result: result), observer: observer), result)
        }
        // Described before any Bind, the columns say text; every run asks for binary results.
        let columns =
            described.count == 0 ? described : PGColumns(described.withFormat(.binary), types: typeRegistry)
        return PGPreparedStatement(sql: sql, name: name, columns: columns, connectionID: ObjectIdentifier(self))
    }

    /// Runs a prepared statement with these values and streams its rows.
    ///
    /// - Parameters:
    ///   - statement: a statement prepared on this connection.
    ///   - value: its parameters' values.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger`` (see ``query(_:logger:)``).
    /// - Throws: ``PGError`` of kind ``PGError/Kind/invalidUsage`` for a statement prepared on
    ///   another connection, ``PGError/Kind/encoding`` for a value that cannot be encoded, or the
    ///   server's error (`26000` once the statement was deallocated).
    nonisolated(nonsending) public func query<each Parameter: PGEncodable>(
        _ statement: PGPreparedStatement<repeat each Parameter>, _ value: repeat each Parameter, logger: Logger? = nil
    ) async throws -> PGRowSequence {
        try await query(try Self.query(running: statement, on: self, with: repeat each value), logger: logger)
    }

    /// Runs a prepared statement whose rows are not wanted.
    ///
    /// - Parameters:
    ///   - statement: a statement prepared on this connection.
    ///   - value: its parameters' values.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger``.
    /// - Throws: as the `query` of a prepared statement.
    @discardableResult
    nonisolated(nonsending) public func execute<each Parameter: PGEncodable>(
        _ statement: PGPreparedStatement<repeat each Parameter>, _ value: repeat each Parameter, logger: Logger? = nil
    ) async throws -> PGCommandResult {
        try await execute(try Self.query(running: statement, on: self, with: repeat each value), logger: logger)
    }

    /// Removes a prepared statement from the server (`DEALLOCATE`).
    ///
    /// - Parameters:
    ///   - statement: a statement prepared on this connection.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger``.
    /// - Throws: ``PGError`` of kind ``PGError/Kind/invalidUsage`` for a statement of another
    ///   connection, or the server's error (`26000` when it no longer exists).
    nonisolated(nonsending) public func deallocate<each Parameter: PGEncodable>(
        _ statement: PGPreparedStatement<repeat each Parameter>, logger: Logger? = nil
    ) async throws {
        try Self.checkOwner(statement.connectionID, self)
        try await simpleQuery("DEALLOCATE \(statement.name)", logger: logger)
    }

    private static func query<each Parameter: PGEncodable>(
        running statement: PGPreparedStatement<repeat each Parameter>, on connection: PGConnection,
        with value: repeat each Parameter
    ) throws(PGError) -> PGQuery {
        try checkOwner(statement.connectionID, connection)
        var bindings = PGBindings()
        for value in repeat each value { try bindings.append(value) }
        var query = PGQuery(unsafeSQL: statement.sql, bindings: bindings)
        query.run(statement.target)
        return query
    }

    private static func checkOwner(_ owner: ObjectIdentifier, _ connection: PGConnection) throws(PGError) {
        guard owner == ObjectIdentifier(connection) else {
            throw PGError(
                .invalidUsage, message: "the statement was prepared on another connection; prepare it on this one",
                requestWasSent: false)
        }
    }
}
