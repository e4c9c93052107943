public import PGClient

/// Applies migrations to a database through an administrator's connection, and reports where a
/// database stands.
///
/// A run:
/// 1. checks the migrations (names, unique versions, no transaction control in a file);
/// 2. takes a session advisory lock, so a second migrate of the same database waits (reporting
///    ``MigrationProgress/lockWaiting(holderPID:)``) up to ``lockTimeout`` and then fails;
/// 3. makes the roles `financbase_owner` (NOLOGIN, owns everything) and `financbase_app`
///    (LOGIN, no superuser, no BYPASSRLS, given ``appPassword`` as a SCRAM verifier only when
///    created here), and the journal `financbase_meta.schema_migrations`;
/// 4. compares the journal with the files and refuses to go on when an applied file changed,
///    a journal version has no file, or a new file is numbered below the highest applied one;
/// 5. applies each pending file in one transaction of its own, as `financbase_owner`, and
///    records it in the journal (version, name, SHA-256, time, duration, who) in that same
///    transaction: a file is applied entirely with its journal row, or not at all;
/// 6. checks that the application role cannot get around row-level security.
///
/// ```swift
/// let runner = MigrationRunner(migrations: try BundledMigrations.load(), appPassword: password)
/// let summary = try await runner.migrate(on: adminConnection) { print($0) }
/// let status = try await runner.status(on: adminConnection)
/// ```
public struct MigrationRunner: Sendable {
    /// The migrations this runner applies, in version order.
    public let migrations: [Migration]
    /// The application role's password, used only when the runner creates that role.
    public var appPassword: String?
    /// How long to wait for another migrate of the same database to finish.
    public var lockTimeout: Duration

    /// Creates a runner for `migrations` (checked when a run starts).
    public init(
        migrations: [Migration], appPassword: String? = nil, lockTimeout: Duration = .seconds(60)
    ) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.appPassword = appPassword
        self.lockTimeout = lockTimeout
    }

    /// Applies every pending migration, each in its own transaction as `financbase_owner`,
    /// reporting each step to `progress`.
    ///
    /// The connection must be an administrator's (a superuser, or a role with CREATEROLE that
    /// may grant CREATE on the database) and idle. It is left idle, without the lock.
    ///
    /// - Throws: ``MigrationError``: the set is invalid, the lock wait timed out, the journal
    ///   disagrees with the files (nothing applied), a migration failed (it is rolled back; those
    ///   before it stay applied), or the application role is unsafe. `PGError` when the
    ///   connection fails outside a migration's SQL.
    @discardableResult
    public func migrate(
        on connection: PGConnection, progress: @Sendable (MigrationProgress) -> Void = { _ in }
    ) async throws -> MigrationSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let migrations = try MigrationValidation.validated(migrations)
        guard connection.transactionStatus == .idle else {
            throw MigrationError.connectionInTransaction
        }
        try await MigrationLock.acquire(on: connection, timeout: lockTimeout, progress: progress)
        do {
            var summary = try await migrateLocked(migrations, on: connection, progress: progress)
            await MigrationLock.release(on: connection)
            summary.duration = clock.now - start
            return summary
        } catch {
            await MigrationLock.release(on: connection)
            throw error
        }
    }

    /// Where the database stands: every version a file or the journal knows, with its state.
    /// Creates nothing; a database never migrated has every file pending.
    ///
    /// - Throws: ``MigrationError`` when the set is invalid, `PGError` when reading fails.
    public func status(on connection: PGConnection) async throws -> MigrationStatus {
        let migrations = try MigrationValidation.validated(migrations)
        return MigrationStatus(
            migrations: migrations, journal: try await MigrationJournal.rows(on: connection))
    }

    private func migrateLocked(
        _ migrations: [Migration], on connection: PGConnection,
        progress: @Sendable (MigrationProgress) -> Void
    ) async throws -> MigrationSummary {
        let created = try await MigrationRoles.bootstrap(on: connection, appPassword: appPassword)
        created.forEach { progress(.roleCreated($0)) }
        try await MigrationJournal.create(on: connection)
        let status = MigrationStatus(
            migrations: migrations, journal: try await MigrationJournal.rows(on: connection))
        try Self.refuseProblems(status)

        let pendingVersions = Set(status.entries(.pending).map(\.version))
        let pending = migrations.filter { pendingVersions.contains($0.version) }
        if pending.isEmpty { progress(.upToDate(version: status.currentVersion)) }
        var applied: [MigrationSummary.Applied] = []
        for migration in pending {
            progress(.applying(version: migration.version, name: migration.name))
            let duration = try await MigrationApplication.apply(migration, on: connection)
            progress(.applied(version: migration.version, name: migration.name, duration: duration))
            applied.append(
                .init(version: migration.version, name: migration.name, duration: duration))
        }

        let problems = try await MigrationRoles.applicationRoleProblems(on: connection)
        guard problems.isEmpty else { throw MigrationError.unsafeApplicationRole(problems) }
        return MigrationSummary(
            createdRoles: created, applied: applied,
            version: max(status.currentVersion, applied.last?.version ?? 0), duration: .zero)
    }

    /// Throws for the first kind of disagreement between journal and files, listing every
    /// version of that kind.
    private static func refuseProblems(_ status: MigrationStatus) throws(MigrationError) {
        let changed = status.entries(.changed)
        guard changed.isEmpty else { throw .checksumMismatch(changed) }
        let missing = status.entries(.missing)
        guard missing.isEmpty else { throw .missingFiles(missing) }
        let outOfOrder = status.entries(.outOfOrder)
        guard outOfOrder.isEmpty else {
            throw .outOfOrder(outOfOrder, highestApplied: status.currentVersion)
        }
    }
}
