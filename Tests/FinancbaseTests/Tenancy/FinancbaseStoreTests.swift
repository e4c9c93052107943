import FoundationEssentials
import PGClient
import Testing

@testable import Financbase

@Suite("FinancbaseStore units of work")
struct FinancbaseStoreTests {
    struct BodyFailed: Error {}

    @Test(
        "the context is set for the transaction only: the pooled connection comes back without it")
    func contextIsTransactionLocal() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let context = TenantContext.random()
        try await database.withPoolAndStore(maxConnections: 1) { pool, store in
            let (organization, user, pid) = try await store.withTenant(context) { repos in
                (
                    try await repos.probe.setting("app.current_org_id"),
                    try await repos.probe.setting("app.current_user_id"),
                    try await repos.probe.backendPID()
                )
            }
            #expect(organization == context.organizationID.uuidString.lowercased())
            #expect(user == context.userID.uuidString.lowercased())
            let after = try await pool.query(
                "SELECT pg_backend_pid(), coalesce(current_setting('app.current_org_id', true), ''), coalesce(current_setting('app.current_user_id', true), '')"
            )
            let (samePID, organizationAfter, userAfter) = try after[0].decode(
                (Int32, String, String).self)
            #expect(samePID == pid)
            #expect(organizationAfter == "")
            #expect(userAfter == "")
        }
    }

    @Test(
        "a body that throws rolls back and its error reaches the caller; the connection is reused clean"
    )
    func bodyErrorRollsBack() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let context = try await TenantContext.provisioned(in: database)
        try await database.withPoolAndStore(maxConnections: 1) { pool, store in
            await #expect(throws: BodyFailed.self) {
                try await store.withTenant(context) { repos in
                    try await repos.testLedger.insert(
                        organization: context.organizationID, memo: "rolled back")
                    throw BodyFailed()
                }
            }
            let left = try await pool.query(
                "SELECT coalesce(current_setting('app.current_org_id', true), '')")
            #expect(try left[0].decode(String.self, at: 0) == "")
            let memos = try await store.withTenant(context) { repos in
                try await repos.testLedger.memos()
            }
            #expect(memos.isEmpty)
        }
        #expect(try await TestLedger.counts(in: database).isEmpty)
    }

    @Test("a unit whose statement failed cannot commit: COMMIT answered with ROLLBACK is an error")
    func commitAnsweredWithRollbackThrows() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let context = try await TenantContext.provisioned(in: database)
        try await database.withPoolAndStore(maxConnections: 1) { _, store in
            let error = await #expect(throws: PGError.self) {
                try await store.withTenant(context) { repos in
                    try await repos.testLedger.insert(
                        organization: context.organizationID, memo: "lost")
                    // The failure is caught and ignored by the body, which then returns normally.
                    _ = try? await repos.session.execute("bad", "SELECT 1 / 0")
                    return "done"
                }
            }
            #expect(error?.kind == .transactionRolledBack)
        }
        #expect(try await TestLedger.counts(in: database).isEmpty)
    }

    @Test("repositories kept beyond the closure refuse every statement")
    func escapedRepositoriesRefuse() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withPoolAndStore(maxConnections: 1) { _, store in
            let escaped = try await store.withTenant(TenantContext.random()) { repos in repos }
            let error = await #expect(throws: FinancbaseError.self) {
                try await escaped.probe.backendPID()
            }
            #expect(error == .sessionEnded(statement: "backend_pid"))
        }
    }

    @Test("a unit whose task is cancelled does not commit")
    func cancelledUnitDoesNotCommit() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await TestLedger.create(in: database)
        let context = try await TenantContext.provisioned(in: database)
        try await database.withPoolAndStore(maxConnections: 1) { _, store in
            let unit = Task {
                try await store.withTenant(context) { repos in
                    try await repos.testLedger.insert(
                        organization: context.organizationID, memo: "cancelled")
                    try await repos.session.execute("sleep", "SELECT pg_sleep(30)")
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            unit.cancel()
            let result = await unit.result
            #expect(throws: (any Error).self) { try result.get() }
            // The pool's one connection is usable again, and nothing was committed.
            let memos = try await store.withTenant(context) { repos in
                try await repos.testLedger.memos()
            }
            #expect(memos.isEmpty)
        }
    }

    @Test(
        "a context the policies' helper does not read back is a typed error, and the body never runs"
    )
    func contextMismatchIsTyped() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        let impostor = UUID()
        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                BEGIN; SET LOCAL ROLE financbase_owner;
                CREATE OR REPLACE FUNCTION app.current_org_id() RETURNS uuid LANGUAGE sql STABLE
                    RETURN '\(impostor.uuidString)'::uuid;
                COMMIT;
                """)
        }
        let context = TenantContext.random()
        try await database.withPoolAndStore(maxConnections: 1) { pool, store in
            let error = await #expect(throws: FinancbaseError.self) {
                try await store.withTenant(context) { _ in Issue.record("the body ran") }
            }
            #expect(
                error
                    == .contextNotApplied(
                        expected: context, organization: impostor.uuidString.lowercased(),
                        user: context.userID.uuidString.lowercased()))
            // Rolled back: the connection is idle and usable.
            let rows = try await pool.query("SELECT 1")
            #expect(rows.count == 1)
        }
    }
}
