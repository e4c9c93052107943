public import PGClient

/// Why migrations could not be loaded, checked or applied. Every case names the file or version
/// at fault, and ``description`` is a message fit for an operator's terminal.
///
/// ```swift
/// do {
///     try await runner.migrate(on: connection)
/// } catch let error as MigrationError {
///     if case .checksumMismatch(let changed) = error { … }
///     print(error)   // "applied migrations were changed: 0003_invoices (journal 4f1c…, file 9e2a…)"
/// }
/// ```
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The module's `Migrations/SQL` resource folder is not in the bundle.
    case resourceFolderMissing
    /// A folder of migrations could not be listed; the reason is the system's.
    case directoryUnreadable(path: String, reason: String)
    /// A `.sql` file is not named `NNNN_name.sql` (at least four digits, a version from 1 to
    /// 2147483647, a name of lowercase letters, digits and single underscores), or an in-memory
    /// migration has such a version or name.
    case invalidFileName(String, reason: String)
    /// Two files (or migrations) have the same version.
    case duplicateVersion(Int, names: [String])
    /// A file could not be read; the reason is the system's.
    case unreadableFile(String, reason: String)
    /// A file is not valid UTF-8.
    case notUTF8(String)
    /// A migration contains a statement that ends or starts a transaction (`COMMIT`, `BEGIN`,
    /// `ROLLBACK`, …), which would break the one-transaction-per-file rule. `line` is 1-based.
    case transactionControl(version: Int, name: String, statement: String, line: Int)
    /// Another migrate held the lock for longer than the runner's `lockTimeout`.
    case lockTimeout(holderPID: Int32?, waitedSeconds: Double)
    /// The connection given to the runner is inside a transaction; the runner needs its own.
    case connectionInTransaction
    /// Applied migrations whose file changed since: the journal's checksum differs.
    case checksumMismatch([MigrationStatus.Entry])
    /// Versions recorded in the journal with no file: the files are older than the database.
    case missingFiles([MigrationStatus.Entry])
    /// New files numbered below the highest applied version: they would apply out of order.
    case outOfOrder([MigrationStatus.Entry], highestApplied: Int)
    /// A migration's SQL failed; nothing of it was applied (its transaction was rolled back),
    /// the migrations before it stay applied. `line` and `column` locate the server's error
    /// position in the file when the server gave one.
    case migrationFailed(version: Int, name: String, line: Int?, column: Int?, error: PGError)
    /// A migration ended the runner's transaction or switched role (`set_config('role', …)`),
    /// which the scan for transaction control cannot see. The journal does not record it; when
    /// the role changed, everything was rolled back; when the transaction ended, part of the file
    /// may be committed: fix the database by hand, then the file.
    case transactionEnded(version: Int, name: String)
    /// The application role is unsafe (superuser, BYPASSRLS, owner of objects, …); each reason
    /// says what.
    case unsafeApplicationRole([String])

    public var description: String {
        switch self {
        case .resourceFolderMissing:
            return "the Migrations/SQL resource folder is missing from the Financbase bundle"
        case .directoryUnreadable(let path, let reason):
            return "cannot list migrations in \(path): \(reason)"
        case .invalidFileName(let file, let reason):
            return "bad migration file name \(file): \(reason) (expected NNNN_name.sql)"
        case .duplicateVersion(let version, let names):
            return
                "migration version \(version) is used more than once: \(names.joined(separator: ", "))"
        case .unreadableFile(let file, let reason):
            return "cannot read migration \(file): \(reason)"
        case .notUTF8(let file):
            return "migration \(file) is not valid UTF-8"
        case .transactionControl(let version, let name, let statement, let line):
            return "migration \(Migration.fileName(version: version, name: name)) line \(line): "
                + "\(statement) is not allowed; each migration runs in one transaction the runner owns"
        case .lockTimeout(let pid, let waited):
            let holder = pid.map { " (pid \($0))" } ?? ""
            return "another migrate\(holder) held the migration lock for \(waited) s; gave up"
        case .connectionInTransaction:
            return "the connection is inside a transaction; migrate needs an idle connection"
        case .checksumMismatch(let entries):
            return "applied migrations were changed since they were applied (a shipped migration "
                + "must never change; add a new one instead): "
                + entries.map {
                    "\($0.fileName) (journal \($0.appliedChecksum ?? "?"), file \($0.checksum ?? "?"))"
                }
                .joined(separator: ", ")
        case .missingFiles(let entries):
            return
                "the database has migrations these files do not know (files older than the database?): "
                + entries.map(\.fileName).joined(separator: ", ")
        case .outOfOrder(let entries, let highest):
            return "new migrations are numbered below the highest applied version \(highest): "
                + entries.map(\.fileName).joined(separator: ", ")
                + "; renumber them above \(highest)"
        case .migrationFailed(let version, let name, let line, let column, let error):
            var place = Migration.fileName(version: version, name: name)
            if let line, let column { place += " line \(line) column \(column)" }
            return "migration \(place) failed and was rolled back: \(error)"
        case .transactionEnded(let version, let name):
            return
                "migration \(Migration.fileName(version: version, name: name)) ended the runner's "
                + "transaction or left the financbase_owner role; it is not recorded as applied, and "
                + "if its transaction had ended, part of it may be committed"
        case .unsafeApplicationRole(let reasons):
            return "the application role is unsafe: " + reasons.joined(separator: "; ")
        }
    }
}
