import FoundationEssentials
import Logging
import PGClient
import Synchronization

@testable import Financbase

/// A tenant table of the tests' own, made the way every tenant migration makes its tables.
enum TestLedger {
    /// Creates `financbase.test_ledger` (owned by financbase_owner, made a tenant table).
    static func create(in database: FinancbaseTestDatabase) async throws {
        _ = try await database.withAdminConnection { connection in
            try await connection.simpleQuery(
                """
                BEGIN;
                SET LOCAL ROLE financbase_owner;
                CREATE TABLE financbase.test_ledger (
                    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                    organization_id uuid NOT NULL,
                    memo text NOT NULL,
                    amount numeric(12, 2) NOT NULL DEFAULT 0
                );
                SELECT app.make_tenant_table('financbase.test_ledger');
                COMMIT;
                """)
        }
    }

    /// The number of rows per organization, seen by the administrator (no row-level security).
    static func counts(in database: FinancbaseTestDatabase) async throws -> [UUID: Int] {
        try await database.withAdminConnection { connection in
            var counts: [UUID: Int] = [:]
            for row in try await connection.query(
                "SELECT organization_id, count(*) FROM financbase.test_ledger GROUP BY 1"
            ).collect() {
                let (organization, count) = try row.decode((UUID, Int64).self)
                counts[organization] = Int(count)
            }
            return counts
        }
    }
}

/// The test ledger's repository, reached through the internal session as real repositories are.
struct TestLedgerRepository {
    let session: TenantSession

    @discardableResult
    func insert(organization: UUID, memo: String) async throws -> PGCommandResult {
        try await session.execute(
            "test_ledger.insert",
            "INSERT INTO financbase.test_ledger (organization_id, memo) VALUES (\(organization), \(memo))"
        )
    }

    func organizations() async throws -> [UUID] {
        try await session.rows(
            "test_ledger.organizations", "SELECT organization_id FROM financbase.test_ledger"
        )
        .map { try $0.decode(UUID.self, at: 0) }
    }

    func memos() async throws -> [String] {
        try await session.rows(
            "test_ledger.memos", "SELECT memo FROM financbase.test_ledger ORDER BY memo"
        )
        .map { try $0.decode(String.self, at: 0) }
    }
}

/// What a unit's connection reports about itself, asked through the unit's own session.
struct SessionProbe {
    let session: TenantSession

    func backendPID() async throws -> Int32 {
        try await session.rows("backend_pid", "SELECT pg_backend_pid()")[0].decode(
            Int32.self, at: 0)
    }

    /// The owner of every row of `table` that the unit can see.
    func organizationIDs(of table: String) async throws -> [UUID] {
        try await session.rows(
            "organization_ids", "SELECT organization_id FROM financbase.\(identifier: table)"
        ).map { try $0.decode(UUID.self, at: 0) }
    }

    /// Whether the unit runs on a standby.
    func isInRecovery() async throws -> Bool {
        try await session.rows("in_recovery", "SELECT pg_is_in_recovery()")[0].decode(Bool.self, at: 0)
    }

    func setting(_ name: String) async throws -> String? {
        try await session.rows("setting", "SELECT current_setting(\(name), true)")[0].decode(
            String?.self, at: 0)
    }
}

extension TenantRepositories {
    var testLedger: TestLedgerRepository { TestLedgerRepository(session: session) }
    var probe: SessionProbe { SessionProbe(session: session) }
}

extension TenantContext {
    /// A context with a fresh user in `organization` (a fresh one too by default). Neither
    /// exists: such a context reads and writes nothing but may provision its organization.
    static func random(organization: UUID = UUID()) -> TenantContext {
        TenantContext(userID: UUID(), organizationID: organization)
    }

    /// A context whose organization and user exist, the user an active admin (made by the
    /// administrator), so the access rules let it write every tenant table of its organization.
    static func provisioned(in database: FinancbaseTestDatabase) async throws -> TenantContext {
        let context = TenantContext.random()
        let (organization, user) = (context.organizationID, context.userID)
        try await database.withAdminConnection { connection in
            try await connection.execute(
                "INSERT INTO financbase.organizations (id, name) VALUES (\(organization), 'Provisioned')")
            try await connection.execute(
                """
                INSERT INTO financbase.users (id, organization_id, clerk_id, email, role)
                VALUES (\(user), \(organization), \("clerk_" + user.uuidString), 'admin@provisioned.test', 'admin')
                """)
        }
        return context
    }
}

/// A log handler that keeps what it is given, for assertions.
final class CapturedLogs: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Entry]>([])

    var entries: [Entry] { storage.withLock { $0 } }

    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "captured") { _ in Handler(logs: self) }
        logger.logLevel = level
        return logger
    }

    struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            all.merge(event.metadata ?? [:]) { _, new in new }
            let entry = Entry(
                level: event.level, message: "\(event.message)", metadata: all.mapValues { "\($0)" }
            )
            logs.storage.withLock { $0.append(entry) }
        }
    }
}
