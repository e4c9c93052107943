import Financbase
import PGClient

/// A lock in one test database that a migration waits on until the test opens it, so tests of
/// concurrent migrates order their steps by events rather than by sleeping and timing.
///
/// ```swift
/// let gate = try await MigrationGate.closed(in: database)
/// // a migration whose SQL starts with MigrationGate.waitSQL blocks here …
/// await gate.open()
/// ```
final class MigrationGate: Sendable {
    /// An advisory key of its own (the runner's lock uses another).
    static let key = 4_242_4242

    /// The statement a migration runs to wait at the gate.
    static let waitSQL = "SELECT pg_advisory_xact_lock(\(key));"

    private let connection: PGConnection

    private init(connection: PGConnection) { self.connection = connection }

    /// Holds the gate's lock on a connection of the test's own.
    static func closed(in database: FinancbaseTestDatabase) async throws -> MigrationGate {
        let connection = try await PGConnection.connect(config: database.adminConfig)
        do {
            try await connection.execute("SELECT pg_advisory_lock(\(key))")
        } catch {
            await connection.close()
            throw error
        }
        return MigrationGate(connection: connection)
    }

    /// Lets the waiting migration go on (closing the connection releases the lock).
    func open() async { await connection.close() }

    /// A migration that waits at the gate, then makes the `sample` schema.
    static let gatedSchema = Migration(
        version: 1, name: "schema", sql: waitSQL + "\n" + SampleMigrations.schema.sql)
}

/// Progress reports as an async sequence, for waiting on a particular one.
struct ProgressStream: Sendable {
    let events: AsyncStream<MigrationProgress>
    let continuation: AsyncStream<MigrationProgress>.Continuation

    init() { (events, continuation) = AsyncStream.makeStream(of: MigrationProgress.self) }

    /// The callback to give the runner.
    var report: @Sendable (MigrationProgress) -> Void {
        { [continuation] in continuation.yield($0) }
    }

    /// Waits for the first report `matches` accepts and returns it.
    func first(where matches: (MigrationProgress) -> Bool) async -> MigrationProgress? {
        for await event in events where matches(event) { return event }
        return nil
    }
}
