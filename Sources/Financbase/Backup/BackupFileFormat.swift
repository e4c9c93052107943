/// The layout of a backup file, version 1. All integers big-endian.
///
/// ```
/// offset  size  field
///      0     8  signature "FBBACKUP"
///      8     4  format version (1)
///     12     4  manifest length M
///     16     8  data length D
///     24     M  manifest (JSON, sorted keys, see BackupManifest)
///   24+M     D  data: one zlib stream of every table's binary COPY stream, in manifest order
/// 24+M+D    32  SHA-256 of every byte before it
/// ```
///
/// The lengths in the header make a cut-off file a "truncated" error rather than a checksum
/// mismatch, and let a reader check the whole file before it touches a database.
enum BackupFileFormat {
    /// The version this build writes and reads.
    static let version = 1
    /// The file's first 8 bytes.
    static let signature: [UInt8] = Array("FBBACKUP".utf8)
    /// Bytes before the manifest.
    static let headerLength = 24
    /// Bytes of the closing checksum.
    static let trailerLength = 32

    /// The fixed part of the header.
    struct Header: Equatable {
        var formatVersion: Int
        var manifestLength: Int
        var dataLength: Int

        /// The length of a whole file with this header.
        var fileLength: Int { headerLength + manifestLength + dataLength + trailerLength }
        /// Where the data section starts.
        var dataOffset: Int { headerLength + manifestLength }

        /// The 24 bytes of this header.
        var bytes: [UInt8] {
            var out = signature
            out += bigEndian(UInt32(formatVersion))
            out += bigEndian(UInt32(manifestLength))
            out += bigEndian(UInt64(dataLength))
            return out
        }

        /// Reads a header from a file's first bytes.
        ///
        /// - Throws: ``BackupError/truncated(expectedBytes:actualBytes:)`` when fewer than 24
        ///   bytes are given, ``BackupError/notABackup`` for a bad signature,
        ///   ``BackupError/unsupportedFormatVersion(found:supported:)`` for another version.
        static func decode(_ bytes: [UInt8], fileLength: Int) throws(BackupError) -> Header {
            guard bytes.count >= headerLength else {
                throw .truncated(expectedBytes: headerLength + trailerLength, actualBytes: fileLength)
            }
            guard Array(bytes[0..<8]) == signature else { throw .notABackup }
            let version = Int(integer(bytes[8..<12]))
            guard version == BackupFileFormat.version else {
                throw .unsupportedFormatVersion(found: version, supported: BackupFileFormat.version)
            }
            let manifest = integer(bytes[12..<16])
            let data = integer(bytes[16..<24])
            guard manifest <= UInt64(Int32.max), data <= UInt64(Int64.max / 2) else {
                throw .corruptManifest("impossible lengths in the header")
            }
            let header = Header(formatVersion: version, manifestLength: Int(manifest), dataLength: Int(data))
            if fileLength < header.fileLength {
                throw .truncated(expectedBytes: header.fileLength, actualBytes: fileLength)
            }
            if fileLength > header.fileLength {
                throw .trailingBytes(expectedBytes: header.fileLength, actualBytes: fileLength)
            }
            return header
        }
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
