public import Logging
public import Metrics
public import PGClient

/// The data layer's entry point: a pool of connections as the application role, and the only
/// way to reach tenant data.
///
/// ```swift
/// let store = FinancbaseStore(pool: pool, options: .init(slowQueryThreshold: .milliseconds(250)))
/// let invoices = try await store.withTenant(context) { repos in
///     try await repos.invoices.byStatusWithAging(asOf: today)
/// }
/// ```
public final class FinancbaseStore: Sendable {
    /// How a store reports on its statements.
    public struct Options: Sendable {
        /// Statements that take at least this long are logged as warnings and counted (1 s by
        /// default).
        public var slowQueryThreshold: Duration
        /// Where slow statements and failed rollbacks are logged.
        public var logger: Logger
        /// Where statement timings and slow-statement counts go; `nil` means the process-wide
        /// `MetricsSystem.factory`.
        public var metricsFactory: (any MetricsFactory)?
        /// Whether each unit of work that may write reads its transaction's id in BEGIN's round
        /// trip (which makes the server assign one at once), so that a unit whose COMMIT answer is
        /// lost throws `PGError.Kind.commitStateUnknown` carrying `PGError.transactionID`, for
        /// `PGPool.resolveCommit(_:)` on the primary (false by default).
        public var resolvableCommits: Bool

        /// Creates options.
        public init(
            slowQueryThreshold: Duration = .seconds(1),
            logger: Logger = Logger(label: "financbase"),
            metricsFactory: (any MetricsFactory)? = nil,
            resolvableCommits: Bool = false
        ) {
            self.slowQueryThreshold = slowQueryThreshold
            self.logger = logger
            self.metricsFactory = metricsFactory
            self.resolvableCommits = resolvableCommits
        }
    }

    let pool: PGPool
    /// Where read-only units may go (``withTenantReadOnly(isolation:_:logger:_:)``), if anywhere.
    let replica: ReplicaReads?
    let options: Options
    let monitor: QueryMonitor

    /// Creates a store over `pool`, whose connections log in as `financbase_app` on the primary,
    /// and, with `replica`, a pool on a streaming replica for read-only units.
    ///
    /// The store does not run the pools: run them (`pool.run()`) in a service group or a task.
    ///
    /// ```swift
    /// let store = FinancbaseStore(pool: primary, replica: .init(pool: replica, maximumLag: .seconds(2)))
    /// ```
    public init(pool: PGPool, replica: ReplicaReads? = nil, options: Options = Options()) {
        self.pool = pool
        self.replica = replica
        self.options = options
        self.monitor = QueryMonitor(
            slowThreshold: options.slowQueryThreshold, logger: options.logger,
            factory: options.metricsFactory ?? MetricsSystem.factory)
    }

    /// Runs `body` as one transaction for `context` on one pooled connection.
    ///
    /// `BEGIN` and `set_config('app.current_org_id', …, true)`, `set_config('app.current_user_id',
    /// …, true)` go to the server in one round trip; the context the server then reports is checked
    /// before `body` runs. The context is local to the transaction, so it ends with it: the
    /// connection goes back to the pool with no tenant set. When `body` returns, the transaction
    /// commits; when it throws (or the task was cancelled), the transaction is rolled back and the
    /// error is rethrown.
    ///
    /// `logger`, when given, takes the pool's and the driver's lines for this unit (a request's
    /// logger, so that they carry its request id); `nil` leaves them with the pool's and the
    /// connection's own.
    ///
    /// `body` runs in the caller's isolation. The repositories it receives belong to this unit
    /// of work: keep none of them beyond `body` (one that escapes refuses every statement with
    /// ``FinancbaseError/sessionEnded(statement:)``).
    ///
    /// ```swift
    /// try await store.withTenant(TenantContext(userID: user, organizationID: org)) { repos in
    ///     let invoice = try await repos.invoices.get(invoiceID)
    ///     _ = try await repos.payments.record(
    ///         invoiceID: invoice.id, amount: amount, method: .bankTransfer, idempotencyKey: requestKey)
    /// }
    /// ```
    ///
    /// - Throws: what `body` throws (after the rollback); `PGError` when no connection could be
    ///   had, BEGIN or a statement failed, or COMMIT failed (`PGError.Kind.transactionRolledBack`
    ///   when the server answered COMMIT with ROLLBACK, `PGError.Kind.commitStateUnknown` when the
    ///   connection broke after COMMIT was sent, with the transaction's id under
    ///   ``Options/resolvableCommits``); ``FinancbaseError/contextNotApplied(expected:organization:user:)``
    ///   when the server did not report the context back; `CancellationError` when the task was
    ///   cancelled before the commit.
    public func withTenant<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ context: TenantContext,
        logger: Logger? = nil,
        _ body: (TenantRepositories) async throws -> Result
    ) async throws -> Result {
        try await pool.withConnection(logger: logger) { connection in
            try await runUnit(.context(context), on: connection, logger: logger, body)
        }
    }
}
