/// Why a backup, a restore or an export refused to start or stopped. Each case names what is
/// wrong; a restore that throws one has written nothing (its transaction is rolled back).
public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connected role neither is a superuser nor has BYPASSRLS: every tenant table forces
    /// row-level security, so it would read or write nothing and could still report success.
    case roleDoesNotBypassRowSecurity(role: String)
    /// The file does not start with the backup signature.
    case notABackup
    /// The file is of a format version this build does not read.
    case unsupportedFormatVersion(found: Int, supported: Int)
    /// The file is shorter than its header says: it was cut off.
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// The file is longer than its header says.
    case trailingBytes(expectedBytes: Int, actualBytes: Int)
    /// The file's closing SHA-256 does not match its bytes: it was changed after it was written.
    case fileChecksumMismatch
    /// The manifest is not valid JSON of the expected shape.
    case corruptManifest(String)
    /// The compressed data section does not inflate, or ends early.
    case corruptData(String)
    /// A table's binary COPY stream is malformed.
    case malformedCopyData(table: String, reason: String)
    /// A table's restored stream differs from its manifest entry (bytes, rows or SHA-256).
    case tableMismatch(table: String, reason: String)
    /// A table of the target schema has no entry in the manifest.
    case tableMissingFromManifest(String)
    /// The manifest names a table the target schema does not have.
    case unknownTable(String)
    /// A table's columns in the manifest differ from the target's.
    case columnsDiffer(table: String, manifest: [String], target: [String])
    /// The migration files here differ from those the backup was taken at (versions listed).
    case migrationChecksumsDiffer([Int])
    /// The target database is past the backup's schema version.
    case targetSchemaAhead(target: Int, backup: Int)
    /// The target database already holds Financbase data (the first table with rows named).
    case targetNotEmpty(table: String)
    /// A foreign key of the restored data points at no row (constraint and table named).
    case foreignKeyViolation(table: String, constraint: String, rows: Int)
    /// The file is not of the kind this operation takes (a full backup or an organization export).
    case wrongKind(expected: String, found: String)
    /// Writing or reading the file failed.
    case io(String)

    public var description: String {
        switch self {
        case .roleDoesNotBypassRowSecurity(let role):
            "role \(role) does not bypass row-level security: connect as a superuser or a role with BYPASSRLS"
        case .notABackup: "not a Financbase backup (bad signature)"
        case .unsupportedFormatVersion(let found, let supported):
            "backup format version \(found) is not supported (this build reads version \(supported))"
        case .truncated(let expected, let actual):
            "backup file truncated: \(actual) bytes of \(expected)"
        case .trailingBytes(let expected, let actual):
            "backup file has \(actual - expected) bytes after its end (\(actual) bytes, expected \(expected))"
        case .fileChecksumMismatch: "backup file checksum mismatch: the file was altered or damaged"
        case .corruptManifest(let reason): "backup manifest is corrupt: \(reason)"
        case .corruptData(let reason): "backup data is corrupt: \(reason)"
        case .malformedCopyData(let table, let reason): "COPY data of \(table) is malformed: \(reason)"
        case .tableMismatch(let table, let reason): "table \(table) does not match the manifest: \(reason)"
        case .tableMissingFromManifest(let table): "table \(table) is missing from the backup's manifest"
        case .unknownTable(let table): "the backup holds table \(table), which the target schema does not have"
        case .columnsDiffer(let table, let manifest, let target):
            "columns of \(table) differ: backup \(manifest), target \(target)"
        case .migrationChecksumsDiffer(let versions):
            "migration files differ from the backup's at version(s) \(versions.map(String.init).joined(separator: ", "))"
        case .targetSchemaAhead(let target, let backup):
            "the target is at schema version \(target), past the backup's \(backup)"
        case .targetNotEmpty(let table): "the target database is not empty: \(table) has rows"
        case .foreignKeyViolation(let table, let constraint, let rows):
            "foreign key \(constraint) of \(table): \(rows) row(s) reference nothing"
        case .wrongKind(let expected, let found): "expected a \(expected) file, found a \(found) file"
        case .io(let reason): "backup file I/O failed: \(reason)"
        }
    }
}
