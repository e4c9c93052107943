import Foundation
import PGClient
import PGWire

/// The table the insert and COPY workloads fill, and the row values both drivers write: row `i`
/// is the same in Swift and in `Benchmarks/bench_common.h`.
struct LedgerRow: Sendable {
    // client_min_messages: no "does not exist, skipping" notice in the output.
    static let createTable = """
        SET client_min_messages = warning;
        DROP TABLE IF EXISTS bench_ledger;
        CREATE TABLE bench_ledger (
            id bigserial PRIMARY KEY,
            user_id uuid NOT NULL,
            amount numeric(12,2) NOT NULL,
            description text NOT NULL,
            created_at timestamptz NOT NULL)
        """
    static let dropTable = "DROP TABLE IF EXISTS bench_ledger"
    static let truncate = "TRUNCATE bench_ledger"
    /// 2024-01-01 00:00:00 UTC; row `i` was created `i` seconds later.
    static let baseUnixTime: Int64 = 1_704_067_200

    let userID: UUID
    let amount: PGNumeric
    let description: String
    let createdAt: Date

    init(_ index: Int) throws(BenchError) {
        let i = UInt64(index)
        // Version 4, RFC 4122 variant, the low 56 bits of i in the last seven bytes.
        userID = UUID(uuid: (
            0, 0, 0, 0, 0, 0, 0x40, 0, 0x80,
            UInt8(truncatingIfNeeded: i >> 48), UInt8(truncatingIfNeeded: i >> 40),
            UInt8(truncatingIfNeeded: i >> 32), UInt8(truncatingIfNeeded: i >> 24),
            UInt8(truncatingIfNeeded: i >> 16), UInt8(truncatingIfNeeded: i >> 8), UInt8(truncatingIfNeeded: i)))
        // In cents, as `ledger_amount_cents` in bench_common.h.
        let cents = Int64((index * 7919) % 10_000_000)
        guard let amount = PGNumeric(minorUnits: cents, scale: 2) else {
            throw BenchError("could not make the amount of ledger row \(index)")
        }
        self.amount = amount
        description = "payment \(index)"
        createdAt = Date(timeIntervalSince1970: Double(Self.baseUnixTime + Int64(index)))
    }

    /// The single-row INSERT, every value bound as a parameter.
    var insert: PGQuery {
        "INSERT INTO bench_ledger (user_id, amount, description, created_at) VALUES (\(userID), \(amount), \(description), \(createdAt))"
    }

    /// The same INSERT's text, for a batch of parameter sets.
    static let insertSQL = "INSERT INTO bench_ledger (user_id, amount, description, created_at) VALUES ($1, $2, $3, $4)"
}
