import Financbase
import Foundation
import InMemoryTracing
import Logging
import Metrics
import MetricsTestKit
import PGClient
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

    // Docs/observability.md

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
}
