import PGClient
import Synchronization
import Testing

/// What writers were told about their inserts during a fault (a failover, a pooler restart),
/// shared among them, and the check that the database agrees.
final class WriteLedger: Sendable {
    enum Outcome { case succeeded, notSent, failed, unknown }
    enum Phase: Int { case beforeFault, afterFault, stopping }

    struct Outcomes: Sendable {
        var succeeded: Set<Int> = []
        var notSent: Set<Int> = []
        var failed: Set<Int> = []
        var unknown: Set<Int> = []
        var succeededAfterFault = 0
        /// Errors other than PGError (none expected).
        var foreignErrors: [String] = []
        var phase = Phase.beforeFault
    }

    private let state = Mutex(Outcomes())

    var outcomes: Outcomes { state.withLock { $0 } }
    var isStopping: Bool { state.withLock { $0.phase == .stopping } }

    /// One writer: inserts its own ids into `table` (one `bigint` column) one by one until the
    /// ledger says stop, recording each outcome as the pool reported it.
    func write(from writer: Int, to pool: PGPool, table: String) async throws {
        var next = writer * 1_000_000
        while !isStopping {
            next += 1
            do {
                try await pool.execute("INSERT INTO \(unescaped: table) VALUES (\(next))")
                record(next, .succeeded)
            } catch let error as PGError where error.isSafeToRetry {
                record(next, .notSent)
            } catch let error as PGError where error.kind == .server && error.sqlState?.rawValue.hasPrefix("57") == false {
                // The server refused the statement: nothing of it was committed.
                record(next, .failed)
            } catch let error as PGError {
                // Sent, and the answer lost (or the session ended mid-statement): unknown.
                _ = error
                record(next, .unknown)
            } catch {
                state.withLock { $0.foreignErrors.append("\(error)") }
                record(next, .unknown)
            }
        }
    }

    func record(_ id: Int, _ outcome: Outcome) {
        state.withLock {
            switch outcome {
            case .succeeded:
                $0.succeeded.insert(id)
                if $0.phase != .beforeFault { $0.succeededAfterFault += 1 }
            case .notSent: $0.notSent.insert(id)
            case .failed: $0.failed.insert(id)
            case .unknown: $0.unknown.insert(id)
            }
        }
    }

    /// Moves to `phase`; returns how many writes had succeeded by then.
    @discardableResult
    func phase(_ phase: Phase) -> Int {
        state.withLock {
            $0.phase = phase
            return $0.succeeded.count
        }
    }

    /// Waits until `count` writes have succeeded; the bound only catches a hang.
    func waitForSuccesses(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(240)
        while state.withLock({ $0.succeeded.count }) < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("only \(outcomes.succeeded.count) of \(count) writes succeeded in time")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Checks what the database holds (`stored`: psql's `id|count` lines) against what the writers
    /// were told: nothing twice, every success there, nothing there but successes and unknowns.
    func expectAgreement(with stored: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var counts: [Int: Int] = [:]
        for line in stored.split(separator: "\n") {
            let parts = line.split(separator: "|").compactMap { Int($0) }
            if parts.count == 2 { counts[parts[0]] = parts[1] }
        }
        let outcomes = self.outcomes
        #expect(outcomes.foreignErrors.isEmpty, "errors that are not PGError: \(outcomes.foreignErrors)", sourceLocation: sourceLocation)
        #expect(counts.values.allSatisfy { $0 == 1 }, "a write stored twice", sourceLocation: sourceLocation)
        let missing = outcomes.succeeded.filter { counts[$0] != 1 }
        #expect(missing.isEmpty, "reported done, not stored: \(missing.sorted())", sourceLocation: sourceLocation)
        let unexplained = Set(counts.keys).subtracting(outcomes.succeeded).subtracting(outcomes.unknown)
        #expect(unexplained.isEmpty, "stored but reported failed or not sent: \(unexplained.sorted())", sourceLocation: sourceLocation)
    }

    /// The psql query whose output ``expectAgreement(with:sourceLocation:)`` reads.
    static func storedCounts(in table: String) -> String {
        "SELECT id, count(*) FROM \(table) GROUP BY id ORDER BY id"
    }
}
