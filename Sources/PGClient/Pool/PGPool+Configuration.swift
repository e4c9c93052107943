public import Metrics
public import Tracing

extension PGPool {
    /// How a pool connects, how big it grows, and how long it waits.
    ///
    /// ```swift
    /// var config = PGPool.Configuration(connection: try PGConfig("postgres://app@db/ledger"))
    /// config.maxConnections = 8
    /// config.acquireTimeout = .seconds(2)
    /// config.setup = { conn in try await conn.simpleQuery("SET statement_timeout = '5s'") }
    /// let pool = PGPool(config: config)
    /// ```
    public struct Configuration: Sendable {
        /// Where and how each connection connects.
        public var connection: PGConfig
        /// Per-connection options (the statement cache's size, timeouts, notice log level). Their
        /// ``PGConnection/Options/tracer`` and ``PGConnection/Options/metricsFactory``, when set,
        /// override the pool's ``tracer`` and ``metricsFactory`` for the connections' requests.
        public var connectionOptions: PGConnection.Options
        /// Where the pool's spans (`pool.acquire`) and its connections' spans go. `nil`, the
        /// default, takes `InstrumentationSystem.tracer` when the pool is made; when that is the
        /// no-op tracer, nothing is traced and requests do no tracing work.
        public var tracer: (any Tracer)?
        /// Where the pool's metrics (`db.client.connection.*`) and its connections'
        /// (`db.client.operation.duration`) go. `nil`, the default, takes `MetricsSystem.factory`
        /// when the pool is made; when that is the no-op factory, nothing is recorded.
        public var metricsFactory: (any MetricsFactory)?
        /// The connections kept open even when idle (opened when the pool starts). Default 0.
        public var minConnections: Int
        /// The most connections open or opening at once. Default 10.
        public var maxConnections: Int
        /// How long a caller waits for a connection before failing with
        /// ``PGError/Kind/timeout`` (or with the last connect error while the server is
        /// unreachable). Default 10 s.
        public var acquireTimeout: Duration
        /// Idle connections above ``minConnections`` are closed after this long unused; `nil`
        /// keeps them. Default 5 minutes.
        public var idleTimeout: Duration?
        /// Connections are replaced once this old (when idle, or when they come back); `nil`
        /// keeps them for ever. Default 30 minutes.
        public var maxLifetime: Duration?
        /// Each connection's lifetime is shortened by a random part of this, so connections
        /// opened together do not expire together. Default 10% of the default lifetime (3 minutes).
        public var maxLifetimeJitter: Duration
        /// An idle connection unused for this long is checked with a round trip before it is
        /// handed out again; `nil` turns the checks off. Default 60 s.
        public var healthCheckInterval: Duration?
        /// The wait after the first failed connect; it doubles with each failure. While connects
        /// fail, the pool tries one at a time. Default 100 ms.
        public var connectBackoffInitial: Duration
        /// The longest wait between connect attempts. Default 5 s.
        public var connectBackoffMaximum: Duration
        /// What is reset when a connection comes back. Default ``PGSessionResetPolicy/discardAllWhenTouched``.
        /// Ignored (nothing is reset) behind a transaction-mode pooler, ``PGPoolerMode/transaction``.
        public var sessionReset: PGSessionResetPolicy
        /// How long the pool spends cleaning a connection that came back dirty (waiting for an
        /// unfinished result, ROLLBACK, DISCARD ALL) before closing it instead. Default 5 s.
        public var cleanupTimeout: Duration
        /// How long a graceful shutdown waits for holders before closing their connections under
        /// them; `nil` waits for ever. Default 30 s.
        public var shutdownGracePeriod: Duration?
        /// Called before each connect for the password to use, so that a short-lived token (a
        /// cloud IAM authentication token, a Vault lease) is fresh for every new connection; it
        /// replaces ``PGConfig/password`` for that connect. A throw counts as a failed connect
        /// (retried with backoff). `nil`, the default, uses the configuration's password.
        ///
        /// ```swift
        /// config.passwordProvider = { try await iam.authenticationToken(host: host, user: "app") }
        /// ```
        public var passwordProvider: (@Sendable () async throws -> String)?
        /// The hook before each connect: given the settings about to be used (with the
        /// ``passwordProvider``'s password already in them), returns the settings to connect
        /// with — to pick a host, add a parameter, or refuse with a throw (a failed connect).
        ///
        /// ```swift
        /// config.beforeConnect = { settings in
        ///     var settings = settings
        ///     settings.applicationName = "api-\(ProcessInfo.processInfo.processIdentifier)"
        ///     return settings
        /// }
        /// ```
        public var beforeConnect: (@Sendable (PGConfig) async throws -> PGConfig)?
        /// The hook after connect: run once on each new connection before its first lease (and
        /// again after each `DISCARD ALL`, which undoes what it set) — `SET` statements, say. A
        /// throw closes the connection and counts as a failed connect.
        public var setup: (@Sendable (PGConnection) async throws -> Void)?
        /// The hook before release: run on each connection that comes back, after the pool has
        /// waited for what the holder left running and rolled back an open transaction, before
        /// the session reset. A throw closes the connection instead of keeping it (counted in
        /// ``Statistics/closedAfterCleanupFailure``). It runs in the pool's task, within
        /// ``cleanupTimeout``; with it set, every returned connection goes through that cleanup.
        ///
        /// ```swift
        /// config.beforeRelease = { conn in try await conn.simpleQuery("RESET ROLE") }
        /// ```
        public var beforeRelease: (@Sendable (PGConnection) async throws -> Void)?
        /// How many one-off statements (``PGPool/query(_:logger:)``, ``PGPool/execute(_:logger:)``) may run at
        /// once on one connection: multiplexing, as Npgsql's `Multiplexing=true`. Default 1,
        /// which turns it off (each statement leases a connection alone).
        ///
        /// Above 1, a statement takes an idle connection if there is one, else joins the least
        /// loaded connection already shared by statements that has room (one on the caller's
        /// event loop first), else waits in the ordinary queue. The statements on one connection
        /// are pipelined, each with its own Sync, so an error fails only its own statement.
        /// ``PGPool/withConnection(isolation:logger:_:)`` and ``PGPool/withTransaction(isolation:_:logger:_:)`` still lease
        /// connections alone, and while one of them waits no statement joins a shared connection,
        /// so shared connections drain to it. A shared connection comes back to the pool (and
        /// is cleaned like any returned lease) when its last statement finishes.
        ///
        /// The rule under multiplexing: a one-off statement must not change the session (`SET`,
        /// `LISTEN`, temporary tables, session advisory locks) or open a transaction, since the
        /// statements beside it would see the change. Such a change is undone only when the
        /// connection drains: the transaction rolled back, the session reset as
        /// ``sessionReset`` says. Use `withConnection` for those.
        ///
        /// ```swift
        /// config.statementsPerConnection = 8   // up to 8 pool.query calls pipelined per connection
        /// ```
        public var statementsPerConnection: Int
        /// How many one-off statements (``PGPool/query(_:logger:)``, ``PGPool/execute(_:logger:)``)
        /// that wait for a connection go together to the next one that comes free, pipelined,
        /// each with its own Sync, so an error fails only its own statement. Default 8; 1 turns
        /// it off (each waiting statement then gets a connection of its own, one at a time).
        ///
        /// A statement that finds a connection idle takes it alone, as before; nothing is added
        /// to a connection once its statements are written, so no statement waits behind one
        /// that was already running when it arrived. Under load the statements of one handoff
        /// share a write and a read, and their callers wake together: that is what brings a pool
        /// of tasks on Swift's global executor near libpq's rate.
        ///
        /// Only statements that cannot change the session visibly to the server's reports take
        /// part: those whose operation is `SELECT`, `INSERT`, `UPDATE`, `DELETE`, `MERGE`,
        /// `VALUES` or `TABLE` (after any `WITH`). Any other (`SET`, `LISTEN`, `BEGIN`, DDL, …)
        /// waits for a connection alone, as do all when ``sessionReset`` is
        /// ``PGSessionResetPolicy/discardAllAlways``, when ``beforeRelease`` is set, or when
        /// the connections go through a transaction-mode pooler: those ask for a clean session
        /// per holder, and a handoff's statements share one. The session changes that a
        /// `SELECT` can make unseen (`set_config(…, false)` on an unreported setting, a session
        /// advisory lock) already outlive a statement without this; see ``sessionReset``.
        ///
        /// ```swift
        /// config.waitingStatementsPerConnection = 1   // each waiting statement alone
        /// ```
        public var waitingStatementsPerConnection: Int
        /// Whether ``PGPool/query(_:logger:)`` and ``PGPool/execute(_:logger:)`` run their statement once more,
        /// on another connection, when it failed before a byte of it reached the server because
        /// its connection closed (``PGError/isSafeToRetry``, kind ``PGError/Kind/connectionClosed``):
        /// nothing of it ran, so running it again cannot run it twice (`true` by default, as
        /// Go's `database/sql` does for a connection found bad before use). Once only; never
        /// after the caller was cancelled, and never inside `withConnection` or
        /// `withTransaction`, whose bodies the pool cannot run again.
        public var retriesUnsentStatements: Bool

        /// Creates a configuration with the defaults above.
        public init(connection: PGConfig) {
            self.connection = connection
            self.connectionOptions = PGConnection.Options()
            self.tracer = nil
            self.metricsFactory = nil
            self.minConnections = 0
            self.maxConnections = 10
            self.acquireTimeout = .seconds(10)
            self.idleTimeout = .seconds(300)
            self.maxLifetime = .seconds(1800)
            self.maxLifetimeJitter = .seconds(180)
            self.healthCheckInterval = .seconds(60)
            self.connectBackoffInitial = .milliseconds(100)
            self.connectBackoffMaximum = .seconds(5)
            self.sessionReset = .discardAllWhenTouched
            self.cleanupTimeout = .seconds(5)
            self.shutdownGracePeriod = .seconds(30)
            self.passwordProvider = nil
            self.beforeConnect = nil
            self.setup = nil
            self.beforeRelease = nil
            self.statementsPerConnection = 1
            self.waitingStatementsPerConnection = 8
            self.retriesUnsentStatements = true
        }

        /// ``sessionReset``, unless the connections' ``PGPoolerMode`` forbids resets.
        var effectiveSessionReset: PGSessionResetPolicy {
            connectionOptions.pooler.resetsSessions ? sessionReset : .none
        }

        /// The pool's name in its metrics (`db.client.connection.pool.name`): the connection's
        /// `application_name`, else `host:port/database` of its first host.
        var poolName: String {
            if let name = connection.applicationName, !name.isEmpty { return name }
            let host = connection.hosts.first.map { $0.unixSocketPath ?? "\($0.host):\($0.port)" } ?? "pgwire"
            return "\(host)/\(connection.database)"
        }

        /// The telemetry of the pool and of its connections: the connection options' tracer and
        /// factory, else the pool's, else the process-wide ones.
        var telemetry: (pool: PGTelemetry, connections: PGTelemetry) {
            let pool = PGTelemetry(
                tracer: tracer, metricsFactory: metricsFactory, noticeLogLevel: connectionOptions.noticeLogLevel)
            let connections = PGTelemetry(
                tracer: connectionOptions.tracer ?? pool.tracer ?? NoOpTracer(),
                metricsFactory: connectionOptions.metricsFactory ?? pool.metricsFactory ?? NOOPMetricsHandler.instance,
                noticeLogLevel: connectionOptions.noticeLogLevel)
            return (pool, connections)
        }

        /// The state machine's part, with the limits made consistent (at least one connection,
        /// a minimum no larger than the maximum, a jitter no longer than the lifetime).
        var machine: PoolStateMachine<Int, PoolInstant>.Configuration {
            let maximum = max(1, maxConnections)
            let jitter = maxLifetime.map { min(max(.zero, maxLifetimeJitter), $0 / 2) } ?? .zero
            return .init(
                minConnections: min(max(0, minConnections), maximum), maxConnections: maximum,
                acquireTimeout: max(.zero, acquireTimeout), idleTimeout: idleTimeout, maxLifetime: maxLifetime,
                maxLifetimeJitter: jitter, healthCheckInterval: healthCheckInterval,
                backoffInitial: max(.milliseconds(1), connectBackoffInitial),
                backoffMaximum: max(connectBackoffInitial, connectBackoffMaximum),
                statementsPerConnection: max(1, statementsPerConnection),
                statementsPerHandoff: pipelinesWaitingStatements ? max(1, waitingStatementsPerConnection) : 1)
        }

        /// Whether waiting one-off statements may share a handoff: only when the pool resets a
        /// session by what it saw, with no hook of the caller's, on connections of their own.
        var pipelinesWaitingStatements: Bool {
            effectiveSessionReset == .discardAllWhenTouched && beforeRelease == nil
        }
    }
}
