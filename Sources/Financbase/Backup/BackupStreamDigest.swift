import Crypto
import NIOCore

/// The running length, row count and SHA-256 of one table's binary COPY stream: what the backup
/// writes into the manifest and the restore checks against it.
struct BackupStreamDigest {
    private var hasher = SHA256()
    private var counter = BinaryCopyRowCounter()
    /// Bytes seen so far.
    private(set) var bytes = 0
    /// Rows begun so far.
    var rows: Int { counter.rows }

    /// Adds the next chunk of the stream.
    ///
    /// - Throws: ``BackupError/malformedCopyData(table:reason:)`` when the framing is wrong.
    mutating func update(_ chunk: ByteBuffer, table: String) throws(BackupError) {
        bytes += chunk.readableBytes
        do {
            try chunk.withUnsafeReadableBytes { (raw) throws(BinaryCopyRowCounter.Malformed) in
                hasher.update(bufferPointer: raw)
                try counter.consume(raw)
            }
        } catch {
            throw .malformedCopyData(table: table, reason: error.reason)
        }
    }

    /// The manifest entry for the stream, once it has ended.
    ///
    /// - Throws: ``BackupError/malformedCopyData(table:reason:)`` when it ended before its trailer.
    func finish(table: String, columns: [String]) throws(BackupError) -> BackupManifest.Table {
        let rows: Int
        do { rows = try counter.finish() } catch {
            throw .malformedCopyData(table: table, reason: error.reason)
        }
        return BackupManifest.Table(
            name: table, columns: columns, rows: rows, bytes: bytes, sha256: Migration.hex(hasher.finalize()))
    }

    /// SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
