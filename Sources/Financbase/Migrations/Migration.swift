import Crypto

/// One versioned SQL file of the schema, `NNNN_name.sql`: applied once, in version order, in a
/// transaction of its own, and never changed after it shipped (the runner refuses to go on when
/// an applied file's ``checksum`` differs from the one in the journal).
///
/// ```swift
/// let migration = Migration(version: 7, name: "add_invoice_notes", sql: """
///     ALTER TABLE financbase.invoices ADD COLUMN notes text;
///     """)
/// print(migration.fileName, migration.checksum)   // 0007_add_invoice_notes 3f2a…
/// ```
public struct Migration: Sendable, Hashable, Identifiable {
    /// The number before the first `_` of the file name.
    public let version: Int
    /// The rest of the file name, without `.sql`.
    public let name: String
    /// The file's statements.
    public let sql: String
    /// SHA-256 of the file's bytes (the SQL text as UTF-8), in lowercase hex.
    public let checksum: String

    /// The version, which identifies a migration.
    public var id: Int { version }

    /// The file name without `.sql`: the version in at least four digits, `_`, the name.
    public var fileName: String { Self.fileName(version: version, name: name) }

    /// Creates a migration from its parts; the checksum is computed from `sql`.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = Self.checksum(of: Array(sql.utf8))
    }

    /// SHA-256 of `bytes` in lowercase hex.
    static func checksum(of bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Lowercase hex of `bytes` (a digest).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }

    /// `0007_add_invoice_notes`, the form every report uses.
    static func fileName(version: Int, name: String) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
    }
}
