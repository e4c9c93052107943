/// The outcome of a backup, an export or a restore, as `--json` prints it.
public struct BackupSummary: Codable, Sendable, Equatable {
    /// One table's rows and uncompressed bytes.
    public struct Table: Codable, Sendable, Equatable {
        /// Schema-qualified name.
        public var name: String
        /// Rows backed up or restored.
        public var rows: Int
        /// Uncompressed binary COPY bytes.
        public var bytes: Int
    }

    /// The backup file.
    public var file: String
    /// Full backup or organization export.
    public var kind: BackupManifest.Kind
    /// The schema version of the data.
    public var schemaVersion: Int
    /// Every table, in file order.
    public var tables: [Table]
    /// Rows in all.
    public var rows: Int
    /// Uncompressed bytes in all.
    public var uncompressedBytes: Int
    /// The file's length.
    public var fileBytes: Int
    /// Uncompressed bytes per file byte.
    public var compressionRatio: Double
    /// Wall time in seconds.
    public var seconds: Double

    init(file: String, manifest: BackupManifest, fileBytes: Int, seconds: Double) {
        self.file = file
        self.kind = manifest.kind
        self.schemaVersion = manifest.schemaVersion
        self.tables = manifest.tables.map { Table(name: $0.name, rows: $0.rows, bytes: $0.bytes) }
        self.rows = manifest.tables.reduce(0) { $0 + $1.rows }
        self.uncompressedBytes = manifest.tables.reduce(0) { $0 + $1.bytes }
        self.fileBytes = fileBytes
        self.compressionRatio = fileBytes > 0 ? Double(uncompressedBytes) / Double(fileBytes) : 0
        self.seconds = seconds
    }
}
