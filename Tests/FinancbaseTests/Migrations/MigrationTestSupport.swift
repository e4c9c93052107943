import Financbase
import Foundation
import PGClient
import Synchronization

/// Small schemas for runner tests: each version makes something the next one uses, so applying
/// them out of order would fail.
enum SampleMigrations {
    static let schema = Migration(
        version: 1, name: "schema",
        sql: """
            CREATE SCHEMA sample;
            GRANT USAGE ON SCHEMA sample TO financbase_app;
            """)
    static let accounts = Migration(
        version: 2, name: "accounts",
        sql: """
            CREATE TABLE sample.accounts (id integer PRIMARY KEY, name text NOT NULL);
            GRANT SELECT, INSERT, UPDATE, DELETE ON sample.accounts TO financbase_app;
            """)
    static let entries = Migration(
        version: 3, name: "entries",
        sql: """
            CREATE TABLE sample.entries (
                id integer PRIMARY KEY,
                account_id integer NOT NULL REFERENCES sample.accounts (id)
            );
            CREATE INDEX entries_account_id ON sample.entries (account_id);
            """)

    static let all = [schema, accounts, entries]

    /// A runner with the test's application password.
    static func runner(_ migrations: [Migration], lockTimeout: Duration = .seconds(30))
        -> MigrationRunner
    {
        MigrationRunner(
            migrations: migrations, appPassword: FinancbaseTestServer.appPassword,
            lockTimeout: lockTimeout)
    }
}

/// Collects progress reports from the runner's callback.
final class ProgressLog: Sendable {
    private let events = Mutex<[MigrationProgress]>([])

    var all: [MigrationProgress] { events.withLock { $0 } }

    func record(_ event: MigrationProgress) { events.withLock { $0.append(event) } }
}

/// A new folder in the temporary directory holding `files` (name → bytes).
func temporaryMigrationFolder(_ files: [String: [UInt8]]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("financbase-migrations-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, bytes) in files {
        try Data(bytes).write(to: folder.appendingPathComponent(name))
    }
    return folder
}

/// A folder of text files.
func temporaryMigrationFolder(_ files: [String: String]) throws -> URL {
    try temporaryMigrationFolder(files.mapValues { Array($0.utf8) })
}

extension FinancbaseTestDatabase {
    /// The journal's version, name and checksum columns, in version order.
    func journal() async throws -> [(version: Int, name: String, checksum: String)] {
        try await withAdminConnection { connection in
            let rows = try await connection.query(
                "SELECT version, name, checksum FROM financbase_meta.schema_migrations ORDER BY version"
            ).collect()
            return try rows.map { try $0.decode((Int, String, String).self) }
        }
    }

    /// Whether `relation` (a qualified name) exists.
    func exists(_ relation: String) async throws -> Bool {
        try await withAdminConnection { connection in
            let rows = try await connection.query("SELECT to_regclass(\(relation)) IS NOT NULL")
                .collect()
            return try rows[0].decode(Bool.self, at: 0)
        }
    }
}
