import FoundationEssentials

/// What a backup file holds, written at its start: the format, the schema it was taken at and,
/// per table in restore order, its columns, row count, length and SHA-256 of its binary COPY
/// stream (uncompressed).
///
/// ```swift
/// let reader = try BackupFileReader(path: "nightly.fbbackup")
/// for table in reader.manifest.tables { print(table.name, table.rows) }
/// ```
public struct BackupManifest: Codable, Sendable, Equatable {
    /// What the file holds: a whole database, or one organization's rows.
    public enum Kind: String, Codable, Sendable {
        /// Every table of the schema and the migration journal.
        case full
        /// One organization's rows of its tenant tables (``organizationID``).
        case organization
    }

    /// One applied migration at the time of the backup.
    public struct MigrationEntry: Codable, Sendable, Equatable {
        /// The migration's version.
        public var version: Int
        /// The migration's name.
        public var name: String
        /// SHA-256 of the migration file, lowercase hex.
        public var checksum: String
    }

    /// One table's stream.
    public struct Table: Codable, Sendable, Equatable {
        /// Schema-qualified name, `financbase.invoices`.
        public var name: String
        /// The columns in stream order.
        public var columns: [String]
        /// Rows in the stream.
        public var rows: Int
        /// Length of the uncompressed binary COPY stream.
        public var bytes: Int
        /// SHA-256 of the uncompressed binary COPY stream, lowercase hex.
        public var sha256: String
    }

    /// The file format's version (1).
    public var formatVersion: Int
    /// Full backup or organization export.
    public var kind: Kind
    /// The exported organization, for ``Kind/organization``.
    public var organizationID: String?
    /// When the snapshot was taken (ISO 8601).
    public var takenAt: String
    /// The highest applied migration.
    public var schemaVersion: Int
    /// Every applied migration, in version order.
    public var migrations: [MigrationEntry]
    /// The tables, in the order their streams follow in the data section.
    public var tables: [Table]

    /// The manifest as JSON with sorted keys (the bytes written to the file).
    func encoded() throws(BackupError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return Array(try encoder.encode(self)) } catch {
            throw .corruptManifest("cannot encode: \(error)")
        }
    }

    /// Decodes a manifest from the file's bytes.
    static func decoded(_ bytes: some Collection<UInt8>) throws(BackupError) -> BackupManifest {
        do { return try JSONDecoder().decode(BackupManifest.self, from: Data(bytes)) } catch {
            throw .corruptManifest("\(error)")
        }
    }

    /// The migration versions whose checksum differs between this manifest and `migrations`
    /// (a version present on one side only counts as differing).
    func migrationDifferences(from migrations: [Migration]) -> [Int] {
        let here = Dictionary(migrations.map { ($0.version, $0.checksum) }, uniquingKeysWith: { a, _ in a })
        let there = Dictionary(self.migrations.map { ($0.version, $0.checksum) }, uniquingKeysWith: { a, _ in a })
        return Set(here.keys).union(there.keys).filter { here[$0] != there[$0] }.sorted()
    }
}
