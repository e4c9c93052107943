public import PGClient
public import Logging

extension FinancbaseStore {
    /// A pool on a streaming replica for read-only units, and how far behind the primary the
    /// replica may be for a unit to run there.
    ///
    /// ```swift
    /// var replicaConfig = PGPool.Configuration(connection: try PGConfig("postgres://financbase_app@replica/financbase"))
    /// let reads = FinancbaseStore.ReplicaReads(pool: PGPool(config: replicaConfig), maximumLag: .seconds(2))
    /// ```
    public struct ReplicaReads: Sendable {
        /// The replica's pool, whose connections log in as `financbase_app`.
        public var pool: PGPool
        /// The most the replica may lag: the time since the last transaction it replayed
        /// committed on the primary (`pg_last_xact_replay_timestamp()`), unless it has replayed
        /// all the WAL it received from a live stream (no lag). 5 s by default.
        public var maximumLag: Duration

        /// Creates the replica's part of a store.
        public init(pool: PGPool, maximumLag: Duration = .seconds(5)) {
            self.pool = pool
            self.maximumLag = maximumLag
        }
    }

    /// Runs `body` as one read-only transaction (`BEGIN READ ONLY`) for `context`: on the
    /// replica pool when the store has one and the replica is within its lag bound, else on the
    /// primary. The whole unit runs on one connection of one pool, never both; writes belong in
    /// ``withTenant(isolation:_:logger:_:)``, which always runs on the primary.
    ///
    /// For dashboards and reports that may show data up to the lag bound old.
    ///
    /// ```swift
    /// let perDay = try await store.withTenantReadOnly(context) { repos in
    ///     try await repos.analytics.eventsPerDay(from: monthStart, to: now)
    /// }
    /// ```
    ///
    /// - Throws: as ``withTenant(isolation:_:logger:_:)``; a write in `body` fails with the server's
    ///   `25006` (read_only_sql_transaction). A replica that cannot be reached fails the unit
    ///   (the pool's error); only lag sends it to the primary.
    public func withTenantReadOnly<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ context: TenantContext,
        logger: Logger? = nil,
        _ body: (TenantRepositories) async throws -> Result
    ) async throws -> Result {
        if let replica {
            let outcome: ReplicaOutcome<Result> = try await replica.pool.withConnection(logger: logger) { connection in
                guard try await Self.lagIsWithin(replica.maximumLag, on: connection) else { return .tooFarBehind }
                return .done(try await runUnit(.context(context), readOnly: true, on: connection, logger: logger, body))
            }
            if case .done(let result) = outcome { return result }
            (logger ?? options.logger).debug("replica behind its lag bound; read-only unit on the primary")
        }
        return try await pool.withConnection(logger: logger) { connection in
            try await runUnit(.context(context), readOnly: true, on: connection, logger: logger, body)
        }
    }

    /// What a read-only unit's attempt on the replica came to.
    private enum ReplicaOutcome<Result: Sendable>: Sendable {
        case done(Result)
        case tooFarBehind
    }

    /// The replica's lag in seconds: 0 on a primary, and on a standby that has replayed all it
    /// received from a running WAL receiver; else the age of the last replayed commit; NULL (too
    /// far behind) on a standby with no WAL receiver or nothing replayed yet.
    static let lagQuery: PGQuery = """
        SELECT CASE
            WHEN NOT pg_catalog.pg_is_in_recovery() THEN 0
            WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_wal_receiver WHERE pid IS NOT NULL) THEN NULL
            WHEN pg_catalog.pg_last_wal_receive_lsn() = pg_catalog.pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM pg_catalog.now() - pg_catalog.pg_last_xact_replay_timestamp())::float8
        END
        """

    /// Whether the server behind `connection` lags the primary by at most `bound`.
    static func lagIsWithin(_ bound: Duration, on connection: PGConnection) async throws -> Bool {
        let rows = try await connection.query(lagQuery).collect()
        guard let lag = try rows.first?.decode(Double?.self, at: 0) else { return false }
        let seconds = Double(bound.components.seconds) + Double(bound.components.attoseconds) / 1e18
        return lag <= seconds
    }
}
