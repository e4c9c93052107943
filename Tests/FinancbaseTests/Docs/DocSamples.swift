import Financbase
import Foundation
import InMemoryTracing
import Logging
import Metrics
import MetricsTestKit
import NIOCore
import NIOPosix
import PGClient
import ServiceLifecycle
import Tracing

// The code samples of README.md and Docs/*.md, compiled here (never run): a newcomer pastes
// them first, so they must build against the API as it is. `DocSampleTests` checks that every
// sample in those files appears here line for line (imports aside).

enum DocSamples {
    static func readmeConnection(orgID: UUID, minimum: PGNumeric, amount: PGNumeric, from: UUID, to: UUID) async throws {
        let config = try PGConfig("postgres://app@localhost/ledger?sslmode=require")
        let connection = try await PGConnection.connect(config: config)

        // Interpolated values are bound as parameters ($1, $2), never spliced into the SQL.
        let rows = try await connection.query(
            "SELECT id, total, paid_at FROM invoices WHERE org_id = \(orgID) AND total > \(minimum)")
        for try await row in rows {
            let (id, total, paidAt) = try row.decode((UUID, PGNumeric, Date?).self)
            print(id, total, paidAt.map { "paid \($0)" } ?? "unpaid")
        }

        // Decodable records, columns matched by name (exact, or snake_case).
        struct Invoice: Decodable { let id: UUID; let total: PGNumeric; let paidAt: Date? }
        let invoices = try await connection.query("SELECT id, total, paid_at FROM invoices")
            .collect().map { try $0.decode(as: Invoice.self) }
        print("\(invoices.count) invoices")

        // Transactions: COMMIT answered with ROLLBACK is an error, never success.
        try await connection.withTransaction(.init(isolation: .serializable)) { conn in
            try await conn.execute("UPDATE accounts SET balance = balance - \(amount) WHERE id = \(from)")
            try await conn.execute("UPDATE accounts SET balance = balance + \(amount) WHERE id = \(to)")
        }

        await connection.close()
    }

    static func readmePool(config: PGConfig, id: UUID) async throws {
        let pool = PGPool(config: .init(connection: config))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await pool.run() }
            let rows = try await pool.query("SELECT name FROM users WHERE id = \(id)")
            print(try rows.first?.decode(String.self, at: 0) ?? "no such user")
            try await pool.withTransaction { conn in try await conn.execute("…") }
            pool.shutdown()
        }
    }

    static func readmeDataLayer(pool: PGPool, userID: UUID, organizationID: UUID, today: PGDate) async throws
        -> ([TransactionFeedItem], [InvoiceAging])
    {
        let store = FinancbaseStore(pool: pool)            // the pool logs in as financbase_app
        let context = TenantContext(userID: userID, organizationID: organizationID)
        let (feed, aging) = try await store.withTenant(context) { repos in
            (try await repos.transactions.recent(limit: 20),
             try await repos.invoices.byStatusWithAging(asOf: today))
        }
        return (feed, aging)
    }

    static func reliabilityResolvableCommit(pool: PGPool, id: UUID, amount: PGNumeric) async throws {
        do {
            try await pool.withTransaction(.init(resolvableCommit: true)) { conn in
                try await conn.execute("INSERT INTO payments (id, amount) VALUES (\(id), \(amount))")
            }
        } catch let error as PGError where error.kind == .commitStateUnknown {
            if let transaction = error.transactionID {
                switch try await pool.resolveCommit(transaction) {
                case .committed: break          // the payment is in
                case .aborted: break            // it is not: safe to try again
                case .inProgress: break         // the server has not seen the session end yet: ask later
                }
            }
        }
    }

    // Observability (PGClient.docc/Observability.md)

    static func observabilityBootstrap(tracer: any Tracer, metricsFactory: any MetricsFactory) {
        InstrumentationSystem.bootstrap(tracer)      // swift-otel's OTelTracer, or any Tracer
        MetricsSystem.bootstrap(metricsFactory)      // swift-otel's, swift-prometheus's, …
    }

    static func observabilityPool(connection: PGConfig, tracer: any Tracer, metricsFactory: any MetricsFactory) -> PGPool {
        var config = PGPool.Configuration(connection: connection)
        config.tracer = tracer                       // nil: InstrumentationSystem.tracer
        config.metricsFactory = metricsFactory       // nil: MetricsSystem.factory
        let pool = PGPool(config: config)
        return pool
    }

    static func observabilityRequestLogger(pool: PGPool, requestID: UUID, id: UUID) async throws {
        var logger = Logger(label: "api")
        logger[metadataKey: "request.id"] = "\(requestID)"
        let rows = try await pool.query("SELECT name FROM users WHERE id = \(id)", logger: logger)
        try await pool.withTransaction(logger: logger) { conn in
            try await conn.execute("UPDATE users SET seen_at = now() WHERE id = \(id)", logger: logger)
        }
        print(rows.count)
    }

    static func observabilityNotices(config: PGConfig) async throws {
        var options = PGConnection.Options()
        options.noticeLogLevel = .info
        let connection = try await PGConnection.connect(config: config, options: options)
        await connection.close()
    }

    static func observabilityTesting(config: PGConfig) async throws {
        let tracer = InMemoryTracer()
        let metrics = TestMetrics()
        let connection = try await PGConnection.connect(
            config: config, options: .init(tracer: tracer, metricsFactory: metrics))
        try await connection.execute("SELECT 1")
        print(tracer.finishedSpans.map(\.operationName))   // ["connect", "SELECT postgres"]
        print(metrics.timers(label: "db.client.operation.duration").count)
        await connection.close()
    }

    // MARK: The data layer (Financbase.docc/DataLayer.md)

    /// What a signed-in request knows about its caller.
    struct Session { let userID: UUID; let organizationID: UUID; let clerkUserID: String }

    static func dataLayerMigrate(password: String?, adminConnection: PGConnection) async throws {
        let runner = MigrationRunner(migrations: try BundledMigrations.load(), appPassword: password)
        let summary = try await runner.migrate(on: adminConnection) { progress in print(progress) }
        let status = try await runner.status(on: adminConnection)
        print(summary, status)
    }

    static func dataLayerTenant(appConfig: PGConfig, session: Session) async throws {
        let pool = PGPool(config: .init(connection: appConfig))          // connects as financbase_app
        let store = FinancbaseStore(pool: pool, options: .init(slowQueryThreshold: .seconds(1)))

        let context = TenantContext(userID: session.userID, organizationID: session.organizationID)
        let feed = try await store.withTenant(context) { repos in
            try await repos.transactions.recent(limit: 20)
        }
        let recent = try await store.withTenant(clerkID: session.clerkUserID) { repos in
            try await repos.transactions.recent(limit: 20)         // repos.context, repos.role: the server's
        }
        print(feed.count, recent.count)
    }

    static func dataLayerFirstOrganization(store: FinancbaseStore) async throws {
        let context = TenantContext(userID: UUID(), organizationID: UUID())
        try await store.withTenant(context) { repos in
            _ = try await repos.organizations.createCurrent(name: "Acme")
            _ = try await repos.users.create(id: context.userID, clerkID: "user_2abc", email: "ada@acme.test", role: .admin)
            var acme = try await repos.organizations.current()
            acme.ownerID = context.userID
            _ = try await repos.organizations.update(acme)
        }
    }

    // MARK: Connection strings (PGClient.docc/ConnectionStrings.md)

    static func connectionStrings() throws {
        let a = try PGConfig("postgresql://app:secret@db1:5432,db2:5433/ledger?sslmode=verify-full&application_name=api")
        let b = try PGConfig("host=db1,db2 port=5432,5433 dbname=ledger user=app sslmode=verify-full application_name=api")
        let c = try PGConfig()   // PGHOST, PGPORT, PGUSER, … and the defaults only
        print(a == b, c)
    }

    // MARK: Pipelines (PGClient.docc/Pipelines.md)

    struct LedgerEntry { let account: UUID; let amount: PGNumeric }
    struct Payment { let user: UUID; let amount: PGNumeric; let memo: String? }

    static func pipelines(connection: PGConnection, a: UUID, b: UUID, x: Int64, entries: [LedgerEntry]) async throws {
        do {
            let results = try await connection.pipeline([
                "INSERT INTO ledger (account, amount) VALUES (\(a), \(x))",
                "INSERT INTO ledger (account, amount) VALUES (\(b), \(-x))",
            ], sync: .once)
            for result in results { _ = try result.get() }   // rows, or the statement's error
        }
        var batch = PGBatch("INSERT INTO ledger (account, amount) VALUES ($1, $2)")
        for entry in entries {
            try batch.append(entry.account, entry.amount)   // encoded now, into one buffer
        }
        let results = try await connection.pipeline(batch)  // one result per set, in order
        print(results.count)
    }

    static func preparedStatements(
        connection: PGConnection, account: UUID, amount: PGNumeric,
        byAccount: PGPreparedStatement<UUID>
    ) async throws {
        let insert = try await connection.prepare(
            "INSERT INTO ledger (account, amount, memo) VALUES ($1, $2, $3)",
            parameters: (UUID, PGNumeric, String?).self)
        print(insert.columns.names)                          // [] for a statement without rows
        try await connection.execute(insert, account, amount, nil)
        let rows = try await connection.query(byAccount, account).collect()
        try await connection.deallocate(insert)              // or keep it for the connection's life
        print(rows.count)
    }

    static func copy(
        connection: PGConnection, chunks: AsyncStream<ByteBuffer>, payments: [Payment]
    ) async throws {
        // Raw text or CSV, streamed from any AsyncSequence of ByteBuffer.
        try await connection.copyIn("COPY users (id, name) FROM STDIN (FORMAT csv)", from: chunks)

        // Binary rows encoded with our codecs.
        try await connection.copyIn(
            "COPY payments (user_id, amount, memo) FROM STDIN (FORMAT binary)",
            rows: payments.map { try PGCopyRow($0.user, $0.amount, $0.memo) })

        // Out, as a stream of chunks.
        for try await chunk in try await connection.copyOut("COPY invoices TO STDOUT (FORMAT csv)") {
            print(chunk.readableBytes, "bytes")
        }
    }

    static func notifications(connection: PGConnection) async throws {
        for await note in try await connection.listen("invoice_paid") {
            print(note.channel, note.payload)
        }
    }

    static func pinnedExecutor(connection: PGConnection, ids: [UUID]) async throws {
        try await withTaskExecutorPreference(connection.executor) {
            for id in ids { try await connection.execute("UPDATE jobs SET done = true WHERE id = \(id)") }
        }
    }

    static func spinOff(config: PGConfig) async throws -> PGConnection {
        var options = PGConnection.Options()
        options.spinBeforeSleeping = .zero
        options.callerSpinBeforeSleeping = .zero
        let connection = try await PGConnection.connect(config: config, options: options)
        return connection
    }

    static func nioGlobalExecutor(logger: Logger) {
        let installed = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        logger.info("global executor", metadata: ["swiftnio": "\(installed)"])
    }

    // MARK: The pool (PGClient.docc/Pool.md)

    static func poolHealth(pool: PGPool, logger: Logger) async {
        let health = await pool.checkHealth(timeout: .seconds(2))
        if !health.isHealthy {
            logger.warning("database not ready", metadata: ["error": "\(health.error.map { "\($0)" } ?? "")"])
        }
    }

    static func poolInServiceGroup(logger: Logger, httpServer: some Service) async throws {
        var config = PGPool.Configuration(connection: try PGConfig("postgres://app@db/ledger"))
        config.maxConnections = 8
        config.acquireTimeout = .seconds(2)
        let pool = PGPool(config: config, logger: logger)

        // The pool works while run() runs: in a ServiceGroup…
        let group = ServiceGroup(services: [pool, httpServer], gracefulShutdownSignals: [.sigterm], logger: logger)
        try await group.run()

        // …or in a task of your own; pool.shutdown() ends it.
    }

    static func poolUnitsOfWork(pool: PGPool, org: UUID, x: PGNumeric, a: UUID, b: UUID) async throws {
        // A connection for a unit of work; back to the pool when the closure returns or throws.
        let invoices = try await pool.withConnection { conn in
            try await conn.query("SELECT id, total FROM invoices WHERE org = \(org)").collect()
        }

        // BEGIN … COMMIT, ROLLBACK when the body throws.
        try await pool.withTransaction { conn in
            try await conn.execute("UPDATE accounts SET balance = balance - \(x) WHERE id = \(a)")
            try await conn.execute("UPDATE accounts SET balance = balance + \(x) WHERE id = \(b)")
        }

        // One statement (rows read into memory).
        let rows = try await pool.query("SELECT now()")
        try await pool.execute("DELETE FROM sessions WHERE expires_at < now()")
        print(invoices.count, rows.count)
    }

    static func poolMultiplexing(connection: PGConfig) {
        var config = PGPool.Configuration(connection: connection)
        config.statementsPerConnection = 8
        // 64 tasks, each looping over pool.query, on 8 connections: up to 8 statements pipelined on each.
        print(config)
    }

    static func poolHandoffOff(connection: PGConfig) {
        var config = PGPool.Configuration(connection: connection)
        config.waitingStatementsPerConnection = 1   // each waiting statement has its connection alone
        print(config)
    }

    static func poolPinnedTasks(pool: PGPool, work: @escaping @Sendable (PGPool) async throws -> Void) async throws {
        try await withThrowingTaskGroup { group in
            let executors = pool.executors
            for i in 0..<64 {
                group.addTask(executorPreference: executors[i % executors.count]) { try await work(pool) }
            }
            try await group.waitForAll()
        }
    }

    // MARK: Replicas and poolers (PGClient.docc/ReplicasAndPoolers.md)

    static func replicaPools() throws -> (PGPool, PGPool) {
        let writes = PGPool(config: .init(connection: try PGConfig(
            "postgres://app@db1:5432,db2:5432/ledger?target_session_attrs=read-write")))
        let reads = PGPool(config: .init(connection: try PGConfig(
            "postgres://app@db2:5432,db1:5432/ledger?target_session_attrs=prefer-standby")))
        return (writes, reads)
    }

    static func replicaStore(
        primaryPool: PGPool, replicaPool: PGPool, context: TenantContext, monthStart: Date, now: Date
    ) async throws -> [EventDayCount] {
        let store = FinancbaseStore(
            pool: primaryPool, replica: .init(pool: replicaPool, maximumLag: .seconds(2)))
        let perDay = try await store.withTenantReadOnly(context) { repos in
            try await repos.analytics.eventsPerDay(from: monthStart, to: now)
        }
        return perDay
    }

    static func failoverManagerPool() throws -> PGPool.Configuration {
        // pg_autoctl show uri --formation default
        let uri = "postgres://app@10.0.0.1:5432,10.0.0.2:5432/ledger?target_session_attrs=read-write&sslmode=require"
        var config = PGPool.Configuration(connection: try PGConfig(uri))
        config.connectBackoffMaximum = .seconds(1)   // look for the new primary at least once a second
        return config
    }

    static func pgBouncerPool() throws -> PGPool {
        var config = PGPool.Configuration(connection: try PGConfig("postgres://app@pgbouncer:6432/ledger"))
        config.connectionOptions.pooler = .transaction
        let pool = PGPool(config: config)
        return pool
    }

    // MARK: Getting started (PGClient.docc/GettingStarted.md)

    static func gettingStarted() async throws {
        let config = try PGConfig("postgres://app@localhost/ledger")
        let connection = try await PGConnection.connect(config: config)

        try await connection.execute(
            "CREATE TEMP TABLE accounts (id uuid PRIMARY KEY, name text NOT NULL, balance numeric NOT NULL)")
        let id = UUID()
        try await connection.execute(
            "INSERT INTO accounts VALUES (\(id), \("O'Brien & Co"), \(PGNumeric("100.00")))")

        for try await row in try await connection.query("SELECT name, balance FROM accounts WHERE id = \(id)") {
            let (name, balance) = try row.decode((String, PGNumeric).self)
            print(name, balance)  // O'Brien & Co 100.00
        }

        struct Account: Decodable {
            let id: UUID
            let name: String
            let balance: PGNumeric
        }
        let accounts = try await connection.query("SELECT id, name, balance FROM accounts")
            .collect().map { try $0.decode(as: Account.self) }
        print(accounts.count)

        try await connection.withTransaction { conn in
            try await conn.execute("UPDATE accounts SET balance = balance - 10 WHERE id = \(id)")
            try await conn.execute("INSERT INTO accounts VALUES (\(UUID()), 'Fees', 10)")
        }
        await connection.close()

        do {
            try await connection.execute("INSERT INTO accounts VALUES (\(id), 'Again', 0)")
        } catch let error as PGError where error.sqlState == .uniqueViolation {
            print("already there:", error.message)
        }

        let pool = PGPool(config: .init(connection: config))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await pool.run() }
            let total = try await pool.withConnection { conn in
                try await conn.query("SELECT sum(balance) FROM accounts").collect().first?.decode(PGNumeric?.self, at: 0)
            }
            print(total ?? "no accounts")
            pool.shutdown()
        }
    }

    // MARK: Types (PGClient.docc/Types.md)

    static func typesJSON(connection: PGConnection, row: PGRow, id: UUID) async throws {
        struct Preferences: Codable, PGJSONCodable { var theme: String; var digest: Bool }
        let prefs = Preferences(theme: "dark", digest: true)

        try await connection.execute("UPDATE users SET preferences = \(prefs) WHERE id = \(id)")
        let stored = try row.decode(Preferences.self, column: "preferences")
        print(stored)
    }

    static func typesEnums(connection: PGConnection, row: PGRow, name: String) async throws {
        enum Priority: Int16, PGRawRepresentable { case low = 1, normal, high }   // int2
        enum Status: String, PGRawRepresentable { case open, paid }                // text

        enum Mood: String, PGEnum { case happy, sad }                              // a PostgreSQL enum
        try await connection.execute("INSERT INTO people (name, mood) VALUES (\(name), \(Mood.happy))")
        let mood = try row.decode(Mood.self, column: "mood")
        print(mood, Priority.high, Status.paid)
    }

    static func typesRegistry(connection: PGConnection, row: PGRow) async throws {
        try await connection.loadTypes(["mood", "billing.address", "positive_amount"])

        let (mood, moods) = try row.decode((String, [String]).self)        // enum and enum[]
        let address = try row.decode(PGRecord.self, column: "address")     // composite
        let (street, zip) = try address.decode((String, Int32).self)
        let amounts = try row.decode([Int32].self, column: "amounts")      // positive_amount[]
        print(mood, moods, street, zip, amounts)
    }

    static func typesRanges(connection: PGConnection, row: PGRow, room: Int32, checkIn: Date) async throws {
        let seats = PGRange<Int32>(1..<10)                                    // [1,10)
        let stay = PGRange<Date>(lower: .inclusive(checkIn), upper: .unbounded) // [checkIn,)
        try await connection.execute("INSERT INTO bookings (room, during) VALUES (\(room), \(stay))")
        let during = try row.decode(PGRange<Date>.self, column: "during")
        let free = try row.decode(PGMultirange<PGDate>.self, column: "free_days")
        print(seats, during, free)
    }

    /// What hands out short-lived passwords (a cloud IAM token service), for the pool's sample.
    protocol TokenSource: Sendable {
        func authenticationToken(user: String) async throws -> String
    }

    static func poolStreams(pool: PGPool, org: UUID, lines: AsyncStream<ByteBuffer>, email: String) async throws {
        // Rows as they arrive, in bounded memory; the connection is held while they are read.
        for try await row in try await pool.stream("SELECT id, payload FROM events WHERE org = \(org)") {
            let (id, payload) = try row.decode((UUID, String).self)
            print(id, payload)
        }

        // COPY in (held until the server has answered the data) and out (held until the data ends).
        try await pool.copyIn("COPY users (id, name) FROM STDIN (FORMAT csv)", from: lines)
        for try await chunk in try await pool.copyOut("COPY invoices TO STDOUT (FORMAT csv)") {
            print(String(buffer: chunk), terminator: "")
        }

        // A statement whose parameter types are fixed: the compiler checks every run's values, and
        // each connection prepares it once, in its statement cache, the first time it runs there.
        let byEmail = PGPoolStatement("SELECT id FROM users WHERE email = $1", parameters: String.self)
        let users = try await pool.query(byEmail, email)     // also pool.execute and pool.stream
        print("\(users.count) users")
    }

    static func poolHooks(connection: PGConfig, tokens: some TokenSource) -> PGPool.Configuration {
        var config = PGPool.Configuration(connection: connection)
        // Called before each connect: a short-lived token (a cloud IAM authentication token) is fresh
        // for every new connection. A throw is a failed connect, retried with backoff.
        config.passwordProvider = { try await tokens.authenticationToken(user: "app") }
        // Before connect: the settings about to be used, returned changed (or a throw refuses).
        config.beforeConnect = { settings in
            var settings = settings
            settings.applicationName = "api-1"
            return settings
        }
        // After connect (and after each DISCARD ALL): e.g. SET statements.
        config.setup = { conn in try await conn.simpleQuery("SET statement_timeout = '5s'") }
        // Before release: after the pool rolled back what the holder left open, before the session
        // reset. A throw closes the connection instead of keeping it.
        config.beforeRelease = { conn in try await conn.simpleQuery("RESET ROLE") }
        return config
    }

    static func listener(
        pool: PGPool, server: some Service, logger: Logger,
        markPaid: (String) async throws -> Void, catchUpOnPayments: () async throws -> Void
    ) async throws {
        let listener = PGListener(configuration: .init(connection: try PGConfig("postgres://app@db/ledger")))
        let group = ServiceGroup(services: [pool, listener, server], gracefulShutdownSignals: [.sigterm], logger: logger)

        // In a task of the service:
        for try await event in await listener.notifications(on: "invoice_paid") {
            switch event {
            case .notification(let note): try await markPaid(note.payload)
            case .reconnected: try await catchUpOnPayments()
            }
        }
        try await group.run()
    }
}
