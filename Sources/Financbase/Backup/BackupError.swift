public import FoundationEssentials

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
    /// The connected role may not act as `financbase_app` (`SET ROLE`), which an organization
    /// export reads as.
    case roleCannotActAsApplication(role: String)
    /// No organization has this id.
    case organizationNotFound(UUID)
    /// The organization has no active admin, user or viewer in whose context row-level
    /// security would let the export read its rows.
    case noActiveReader(UUID)
    /// Row-level security let the export read only some of the organization's rows of a table
    /// (the rest would be missing from the file).
    case exportIncomplete(table: String, read: Int, held: Int)
    /// The target already holds the organization being imported.
    case organizationExists(UUID)
    /// The export is of another organization than the one named.
    case organizationMismatch(expected: UUID, found: String?)
    /// A row of the import clashes with a row of another organization in a column that is
    /// unique across organizations (a Clerk id, a slug, an id).
    case uniqueClash(table: String, constraint: String)
    /// Rows of the import belong to another organization than the export's.
    case foreignRows(table: String, rows: Int)
    /// The target holds data at an older schema version than the file's: migrate it first.
    case targetSchemaBehind(target: Int, backup: Int)
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
        case .wrongKind(let expected, let found):
            "expected \(Self.describe(kind: expected)), found \(Self.describe(kind: found))"
        case .roleCannotActAsApplication(let role):
            "role \(role) may not SET ROLE financbase_app: connect as a superuser or a member of financbase_app"
        case .organizationNotFound(let id): "no organization has id \(Self.text(id))"
        case .noActiveReader(let id):
            "organization \(Self.text(id)) has no active admin, user or viewer whose context could read its rows"
        case .exportIncomplete(let table, let read, let held):
            "row-level security let the export read \(read) of the organization's \(held) rows of \(table)"
        case .organizationExists(let id): "the target already holds organization \(Self.text(id))"
        case .organizationMismatch(let expected, let found):
            "the file is an export of organization \(found ?? "(none)"), not \(Self.text(expected))"
        case .uniqueClash(let table, let constraint):
            "a row of \(table) clashes with another organization's under \(constraint) (unique across organizations)"
        case .foreignRows(let table, let rows): "\(rows) row(s) of \(table) belong to another organization"
        case .targetSchemaBehind(let target, let backup):
            "the target holds data at schema version \(target), behind the file's \(backup): migrate it first"
        case .io(let reason): "backup file I/O failed: \(reason)"
        }
    }

    private static func text(_ id: UUID) -> String { id.uuidString.lowercased() }

    private static func describe(kind: String) -> String {
        switch BackupManifest.Kind(rawValue: kind) {
        case .full: "a full backup (restore it without --organization)"
        case .organization: "an organization export (restore it with --organization ID)"
        case nil: "a file of kind \(kind)"
        }
    }
}
