import Foundation
import PGClient
import PGLocalCluster
import Synchronization
import Testing

@testable import Financbase

/// Tenant payments through a failover: every payment reported succeeded is stored exactly once,
/// and every unknown one is resolved by the commit resolver.
///
/// In CI it runs at a small scale on a local primary and streaming replica (stop the primary,
/// promote the replica). `Scripts/failover-drill.sh` runs the same test against a
/// pg_auto_failover formation: with `PGWIRE_DRILL_URI` (the formation's multi-host URI) and
/// `PGWIRE_DRILL_FAILOVER` (the shell command that fails over) it records payments from
/// `PGWIRE_DRILL_WRITERS` writers (8), fails over under that load, keeps going until writes
/// resume, and prints its figures on lines that start with `DRILL`.
@Suite("Failover drill", .timeLimit(.minutes(15)))
struct FailoverDrill {
    static let environment = ProcessInfo.processInfo.environment

    @Test("payments through a failover: each reported succeeded stored once, each unknown resolved")
    func paymentsSurviveAFailoverExactlyOnce() async throws {
        if let uri = Self.environment["PGWIRE_DRILL_URI"], let failover = Self.environment["PGWIRE_DRILL_FAILOVER"] {
            let admin = try PGConfig(
                connectionString: uri, overrides: ["user": Self.environment["PGWIRE_DRILL_USER"] ?? "postgres"],
                environment: [:], homeDirectory: "/nonexistent-drill-home")
            let writers = Self.environment["PGWIRE_DRILL_WRITERS"].flatMap { Int($0) } ?? 8
            try await Self.drill(on: admin, writers: writers, paymentsOnEachSide: 200) {
                let shell = Process()
                shell.executableURL = URL(fileURLWithPath: "/bin/sh")
                shell.arguments = ["-c", failover]
                try shell.run()
                while shell.isRunning { try await Task.sleep(for: .milliseconds(50)) }
                #expect(shell.terminationStatus == 0, "the failover command failed")
            }
        } else {
            try await withReplicatedCluster { primary, replica in
                let admin = try FinancbaseTestServer.isolated(
                    primary.url(listing: [replica], targetSessionAttributes: "read-write"))
                try await Self.drill(on: admin, writers: 4, paymentsOnEachSide: 20) {
                    // A fast shutdown ends every session and ships the WAL to the standby first.
                    try await primary.stopServer()
                    try await replica.promote()
                }
            }
        }
    }

    /// Migrates a fresh database on `admin`'s server, pays from `writers` writers until
    /// `paymentsOnEachSide` succeeded, runs `failover`, pays until as many more succeeded, and
    /// checks what the database holds against what each writer was told.
    static func drill(
        on admin: PGConfig, writers: Int, paymentsOnEachSide: Int, failover: () async throws -> Void
    ) async throws {
        let database = try await FinancbaseTestServer.freshDatabase(on: admin)
        let log = DrillLog()
        try await database.withPoolAndStore(maxConnections: writers, options: .init(resolvableCommits: true)) { pool, store in
            let tenant = try await TenantFixture.make(in: store)
            let invoices = try await store.withTenant(tenant.context) { repos in
                var ids: [UUID] = []
                for writer in 0..<writers {
                    let invoice = try await repos.invoices.create(
                        clientID: tenant.clientID, invoiceNumber: "DRILL-\(writer)", dueDate: try date(2030, 1, 1),
                        lines: [NewInvoiceLine(description: "Drill", unitPrice: try numeric("1000000.00"), amount: try numeric("1000000.00"))],
                        status: .sent)
                    ids.append(invoice.id)
                }
                return ids
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (writer, invoice) in invoices.enumerated() {
                    group.addTask { await Self.pay(writer: writer, invoice: invoice, tenant: tenant, store: store, log: log) }
                }
                try await log.waitForSuccesses(paymentsOnEachSide)
                log.failoverIssued()
                try await failover()
                log.failoverReturned()
                try await log.waitForSuccesses(log.successes + paymentsOnEachSide)
                log.stop()
                try await group.waitForAll()
            }
            // Unknown outcomes: ask the (new) primary what became of each transaction.
            var resolved: [String: PGCommitOutcome] = [:]
            for (key, transaction) in log.outcomes.unknown {
                if let transaction { resolved[key] = try await pool.resolveCommit(transaction) }
            }
            let stored = try await database.withAdminConnection { connection in
                var counts: [String: Int] = [:]
                for row in try await connection.query(
                    "SELECT idempotency_key, count(*) FROM financbase.payments WHERE idempotency_key LIKE 'drill-%' GROUP BY 1"
                ).collect() {
                    let (key, count) = try row.decode((String, Int64).self)
                    counts[key] = Int(count)
                }
                return counts
            }
            let outcomes = log.outcomes
            #expect(stored.values.allSatisfy { $0 == 1 }, "a payment stored twice")
            let missing = outcomes.succeeded.filter { stored[$0] != 1 }
            #expect(missing.isEmpty, "reported succeeded, not stored: \(missing.sorted())")
            let unexplained = Set(stored.keys).subtracting(outcomes.succeeded).subtracting(outcomes.unknown.keys)
            #expect(unexplained.isEmpty, "stored but reported failed: \(unexplained.sorted())")
            for (key, outcome) in resolved {
                #expect((outcome == .committed) == (stored[key] == 1), "resolver said \(outcome) for \(key)")
            }
            let unresolved = outcomes.unknown.filter { resolved[$0.key] == nil }.map(\.key)
            let figures = log.figures
            print("DRILL writers: \(writers)")
            print("DRILL payments succeeded: \(outcomes.succeeded.count), failed (rolled back): \(outcomes.failed.count), unknown: \(outcomes.unknown.count) (commit resolver: \(resolved.values.filter { $0 == .committed }.count) committed, \(resolved.values.filter { $0 != .committed }.count) not; by idempotency key: \(unresolved.filter { stored[$0] == 1 }.count) stored, \(unresolved.filter { stored[$0] == nil }.count) absent)")
            print("DRILL stored: \(stored.count), each once: \(stored.values.allSatisfy { $0 == 1 })")
            print("DRILL failover issued -> first failed write: \(Self.text(figures.firstFailureSeconds)) s")
            print("DRILL failover issued -> first successful write after the switch: \(Self.text(figures.firstSuccessAfterOutageSeconds)) s")
            print("DRILL failover issued -> the failover command returned: \(Self.text(figures.commandSeconds)) s")
        }
    }

    static func text(_ seconds: Double?) -> String {
        seconds.map { String(format: "%.2f", $0) } ?? "n/a"
    }

    /// One writer: pays 1.00 on its own invoice again and again, each payment one tenant unit
    /// with its own idempotency key, until the log says stop.
    static func pay(writer: Int, invoice: UUID, tenant: TenantFixture, store: FinancbaseStore, log: DrillLog) async {
        var next = 0
        let amount = PGNumeric("1.00") ?? .zero
        while !log.isStopped {
            next += 1
            let key = "drill-\(writer)-\(next)"
            do {
                _ = try await store.withTenant(tenant.context) { repos in
                    try await repos.payments.record(invoiceID: invoice, amount: amount, method: .bankTransfer, idempotencyKey: key)
                }
                log.record(key, .succeeded)
            } catch let error as PGError where error.kind == .commitStateUnknown {
                log.record(key, .unknown(error.transactionID))
            } catch {
                // Anything else ends the unit before its COMMIT was sent (or the server answered
                // it with ROLLBACK): the server rolled the transaction back.
                log.record(key, .failed)
            }
        }
    }
}

/// What the drill's writers were told, with the times that make its figures.
final class DrillLog: Sendable {
    enum Outcome { case succeeded, failed, unknown(PGTransactionID?) }

    struct Outcomes: Sendable {
        var succeeded: Set<String> = []
        var failed: Set<String> = []
        var unknown: [String: PGTransactionID?] = [:]
    }

    struct Figures: Sendable {
        var firstFailureSeconds: Double?
        var firstSuccessAfterOutageSeconds: Double?
        var commandSeconds: Double?
    }

    private struct State {
        var outcomes = Outcomes()
        var figures = Figures()
        var issuedAt: ContinuousClock.Instant?
        var stopped = false
    }

    private let state = Mutex(State())

    var outcomes: Outcomes { state.withLock { $0.outcomes } }
    var figures: Figures { state.withLock { $0.figures } }
    var successes: Int { state.withLock { $0.outcomes.succeeded.count } }
    var isStopped: Bool { state.withLock { $0.stopped } }

    func stop() { state.withLock { $0.stopped = true } }

    @discardableResult
    func failoverIssued() -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        state.withLock { $0.issuedAt = now }
        return now
    }

    func failoverReturned() {
        state.withLock { $0.figures.commandSeconds = Self.seconds(since: $0.issuedAt) }
    }

    func record(_ key: String, _ outcome: Outcome) {
        state.withLock { state in
            switch outcome {
            case .succeeded:
                state.outcomes.succeeded.insert(key)
                if state.figures.firstFailureSeconds != nil, state.figures.firstSuccessAfterOutageSeconds == nil {
                    state.figures.firstSuccessAfterOutageSeconds = Self.seconds(since: state.issuedAt)
                }
            case .failed, .unknown:
                if case .unknown(let transaction) = outcome { state.outcomes.unknown[key] = transaction } else {
                    state.outcomes.failed.insert(key)
                }
                if state.issuedAt != nil, state.figures.firstFailureSeconds == nil {
                    state.figures.firstFailureSeconds = Self.seconds(since: state.issuedAt)
                }
            }
        }
    }

    func waitForSuccesses(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while successes < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("only \(successes) of \(count) payments succeeded in time")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private static func seconds(since start: ContinuousClock.Instant?) -> Double? {
        guard let start else { return nil }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
