import PGClient
import Testing

/// Errors inside and outside transactions, and what state each leaves the connection in.
@Suite("Transactions and errors")
struct TransactionTests {
    struct BodyFailed: Error {}

    @Test func aFailingStatementOutsideATransactionLeavesTheConnectionUsable() async throws {
        try await TestDatabase.withConnection { connection in
            let error = await #expect(throws: PGError.self) {
                try await connection.execute("SELECT 1 / \(Int32(0))")
            }
            #expect(error?.kind == .server)
            #expect(error?.sqlState == .divisionByZero)
            #expect(error?.requestWasSent == true)
            #expect(error?.isSafeToRetry == false)
            #expect(connection.transactionStatus == .idle)
            let missing = await #expect(throws: PGError.self) {
                try await connection.query("SELECT * FROM no_such_table_at_all")
            }
            #expect(missing?.sqlState == .undefinedTable)
            #expect(missing?.position != nil)
            let after = try await connection.scalar("SELECT 'still here'")
            #expect(after == "still here")
        }
    }

    @Test func theBodysErrorRollsBackAndPropagates() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE tx_items (id int PRIMARY KEY)")
            await #expect(throws: BodyFailed.self) {
                try await connection.withTransaction { conn in
                    try await conn.execute("INSERT INTO tx_items VALUES (\(Int32(1)))")
                    #expect(conn.transactionStatus == .inTransaction)
                    throw BodyFailed()
                }
            }
            #expect(connection.transactionStatus == .idle)
            #expect(try await connection.scalar("SELECT count(*) FROM tx_items") == "0")
        }
    }

    @Test func aFailedStatementInTheBodyRollsBack() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE tx_rows (id int PRIMARY KEY)")
            let error = await #expect(throws: PGError.self) {
                try await connection.withTransaction { conn in
                    try await conn.execute("INSERT INTO tx_rows VALUES (\(Int32(1)))")
                    try await conn.execute("INSERT INTO tx_rows VALUES (\(Int32(1)))")
                }
            }
            #expect(error?.sqlState == .uniqueViolation)
            #expect(connection.transactionStatus == .idle)
            #expect(try await connection.scalar("SELECT count(*) FROM tx_rows") == "0")
        }
    }

    @Test func aSuccessfulBodyCommits() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE tx_ok (id int)")
            let tag = try await connection.withTransaction { conn in
                try await conn.execute("INSERT INTO tx_ok VALUES (\(Int32(1))), (\(Int32(2)))").commandTag
            }
            #expect(tag == "INSERT 0 2")
            #expect(connection.transactionStatus == .idle)
            #expect(try await connection.scalar("SELECT count(*) FROM tx_ok") == "2")
        }
    }

    @Test func commitAnsweredWithRollbackThrows() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE tx_doomed (id int)")
            try await connection.simpleQuery("BEGIN")
            try await connection.execute("INSERT INTO tx_doomed VALUES (\(Int32(1)))")
            await #expect(throws: PGError.self) { try await connection.execute("SELECT 1 / \(Int32(0))") }
            #expect(connection.transactionStatus == .failedTransaction)
            let inFailed = await #expect(throws: PGError.self) { try await connection.execute("SELECT 1") }
            #expect(inFailed?.sqlState == .inFailedSqlTransaction)
            let error = await #expect(throws: PGError.self) { try await connection.commit() }
            #expect(error?.kind == .transactionRolledBack)
            #expect(connection.transactionStatus == .idle)
            #expect(try await connection.scalar("SELECT count(*) FROM tx_doomed") == "0")
        }
    }

    @Test func savepointsRollBackOnlyTheirPart() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.simpleQuery("CREATE TEMP TABLE tx_parts (id int PRIMARY KEY)")
            try await connection.withTransaction { conn in
                try await conn.execute("INSERT INTO tx_parts VALUES (\(Int32(1)))")
                await #expect(throws: PGError.self) {
                    try await conn.withSavepoint { inner in
                        try await inner.execute("INSERT INTO tx_parts VALUES (\(Int32(2)))")
                        try await inner.execute("INSERT INTO tx_parts VALUES (\(Int32(1)))")  // duplicate
                    }
                }
                #expect(conn.transactionStatus == .inTransaction)
                _ = try await conn.withSavepoint { inner in
                    try await inner.execute("INSERT INTO tx_parts VALUES (\(Int32(3)))")
                }
            }
            let ids = try await connection.query("SELECT id FROM tx_parts ORDER BY id").collect()
                .map { try $0.decode(Int32.self, at: 0) }
            #expect(ids == [1, 3])
        }
    }

    @Test func nestedTransactionIsRefusedWithoutTouchingTheOuterOne() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.withTransaction { conn in
                let error = await #expect(throws: PGError.self) {
                    try await conn.withTransaction { _ in 1 }
                }
                #expect(error?.kind == .invalidUsage)
                #expect(conn.transactionStatus == .inTransaction)
            }
            #expect(connection.transactionStatus == .idle)
        }
    }

    @Test func isolationLevelIsApplied() async throws {
        try await TestDatabase.withConnection { connection in
            let level = try await connection.withTransaction(.init(isolation: .serializable)) { conn in
                try await conn.scalar("SHOW transaction_isolation")
            }
            #expect(level == "serializable")
        }
    }
}
