import CompressNIO
import Crypto
import Foundation
public import NIOCore
import Synchronization

/// Reads a backup file: checks the whole file (length, signature, version, closing SHA-256)
/// and decodes the manifest when opened, then hands out each table's stream in manifest order,
/// checking its length, row count and SHA-256 against the manifest as it ends.
///
/// ```swift
/// let reader = try BackupFileReader(path: "nightly.fbbackup")
/// for table in reader.manifest.tables {
///     for try await chunk in reader.stream(of: table) { … }
/// }
/// ```
public final class BackupFileReader: Sendable {
    /// The file's manifest.
    public let manifest: BackupManifest
    /// The file's length in bytes.
    public let fileLength: Int
    /// The compressed data section's length in bytes.
    public let dataLength: Int
    private let state: Mutex<State>

    /// Opens and checks the file at `path`. Reads it once whole (for the checksum) and keeps
    /// only small buffers.
    ///
    /// - Throws: ``BackupError``: ``BackupError/notABackup``,
    ///   ``BackupError/unsupportedFormatVersion(found:supported:)``,
    ///   ``BackupError/truncated(expectedBytes:actualBytes:)``,
    ///   ``BackupError/trailingBytes(expectedBytes:actualBytes:)``,
    ///   ``BackupError/fileChecksumMismatch``, ``BackupError/corruptManifest(_:)`` or
    ///   ``BackupError/io(_:)``.
    public init(path: String) throws(BackupError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .io("cannot open \(path)") }
        do {
            let length = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
            let headerBytes = Array(try handle.read(upToCount: BackupFileFormat.headerLength) ?? Data())
            let header = try BackupFileFormat.Header.decode(headerBytes, fileLength: length)
            try Self.verifyChecksum(handle, header: header)
            try handle.seek(toOffset: UInt64(BackupFileFormat.headerLength))
            let manifestBytes = try handle.read(upToCount: header.manifestLength) ?? Data()
            let manifest = try BackupManifest.decoded(manifestBytes)
            guard manifest.formatVersion == BackupFileFormat.version else {
                throw BackupError.unsupportedFormatVersion(
                    found: manifest.formatVersion, supported: BackupFileFormat.version)
            }
            self.manifest = manifest
            self.fileLength = length
            self.dataLength = header.dataLength
            let inflater = try ZlibDecompressor(algorithm: .zlib)
            self.state = Mutex(State(handle: handle, remaining: header.dataLength, inflater: inflater))
        } catch let error as BackupError {
            try? handle.close()
            throw error
        } catch {
            try? handle.close()
            throw .io("\(error)")
        }
    }

    /// The stream of `table`, which must be the next table of the manifest. Each chunk is at
    /// most 256 KiB; the sequence throws ``BackupError/tableMismatch(table:reason:)`` at its
    /// end when the stream differs from the manifest, and ``BackupError/corruptData(_:)`` when
    /// the data does not inflate.
    public func stream(of table: BackupManifest.Table) -> TableStream {
        TableStream(reader: self, table: table)
    }

    /// Reads and checks the rest of the data section after the last table: nothing may follow.
    ///
    /// - Throws: ``BackupError/corruptData(_:)`` when bytes are left over.
    public func finish() throws(BackupError) {
        try state.withLock { (state) throws(BackupError) in
            if let extra = try state.inflated(upTo: 1), extra.readableBytes > 0 {
                throw .corruptData("data after the last table")
            }
        }
    }

    /// Closes the file.
    public func close() {
        state.withLock { try? $0.handle.close() }
    }

    fileprivate func next(_ table: BackupManifest.Table, progress: inout Progress) throws(BackupError) -> ByteBuffer? {
        if progress.finished { return nil }
        let wanted = min(256 * 1024, table.bytes - progress.digest.bytes)
        if wanted > 0 {
            let chunk = try state.withLock { (state) throws(BackupError) in try state.inflated(upTo: wanted) }
            guard let chunk, chunk.readableBytes > 0 else {
                throw .corruptData("the data ends inside table \(table.name)")
            }
            try progress.digest.update(chunk, table: table.name)
            return chunk
        }
        progress.finished = true
        let found = try progress.digest.finish(table: table.name, columns: table.columns)
        if found.rows != table.rows {
            throw .tableMismatch(table: table.name, reason: "\(found.rows) rows, manifest says \(table.rows)")
        }
        if found.sha256 != table.sha256 {
            throw .tableMismatch(table: table.name, reason: "SHA-256 \(found.sha256), manifest says \(table.sha256)")
        }
        return nil
    }

    private static func verifyChecksum(_ handle: FileHandle, header: BackupFileFormat.Header) throws {
        try handle.seek(toOffset: 0)
        var hasher = SHA256()
        var left = header.fileLength - BackupFileFormat.trailerLength
        while left > 0 {
            guard let chunk = try handle.read(upToCount: min(left, 1 << 20)), !chunk.isEmpty else {
                throw BackupError.truncated(expectedBytes: header.fileLength, actualBytes: header.fileLength - left)
            }
            hasher.update(data: chunk)
            left -= chunk.count
        }
        let stored = Array(try handle.read(upToCount: BackupFileFormat.trailerLength) ?? Data())
        guard stored == Array(hasher.finalize()) else { throw BackupError.fileChecksumMismatch }
    }

    /// A table's progress through its stream.
    fileprivate struct Progress {
        var digest = BackupStreamDigest()
        var finished = false
    }

    /// The open file and the inflater, guarded by the reader's lock.
    private struct State {
        let handle: FileHandle
        /// Compressed bytes not read from the file yet.
        var remaining: Int
        let inflater: ZlibDecompressor
        var input = ByteBufferAllocator().buffer(capacity: 256 * 1024)
        var output = ByteBufferAllocator().buffer(capacity: 256 * 1024)
        var ended = false

        /// Up to `count` inflated bytes; `nil` at the end of the zlib stream.
        mutating func inflated(upTo count: Int) throws(BackupError) -> ByteBuffer? {
            while output.readableBytes == 0 {
                if ended {
                    if input.readableBytes > 0 || remaining > 0 {
                        throw .corruptData("bytes after the end of the compressed stream")
                    }
                    return nil
                }
                try inflateMore()
            }
            return output.readSlice(length: min(count, output.readableBytes))
        }

        private mutating func inflateMore() throws(BackupError) {
            var probing = false
            if input.readableBytes == 0 {
                if remaining > 0 {
                    input.clear()
                    do {
                        let chunk = try handle.read(upToCount: min(remaining, 256 * 1024)) ?? Data()
                        guard !chunk.isEmpty else { throw BackupError.corruptData("the file ends early") }
                        remaining -= chunk.count
                        input.writeBytes(chunk)
                    } catch let error as BackupError {
                        throw error
                    } catch {
                        throw .io("\(error)")
                    }
                } else {
                    probing = true
                }
            }
            output.clear()
            output.reserveCapacity(minimumWritableBytes: 256 * 1024)
            do {
                try inflater.inflate(from: &input, to: &output)
                // No error: either the stream ended, or all input was used with room to spare.
                // Leftover input means the former; an empty probe too.
                if input.readableBytes > 0 || probing { ended = true }
            } catch let error as CompressNIOError where error == .bufferOverflow {
                return
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                if probing { throw .corruptData("the compressed stream ends early") }
            } catch {
                throw .corruptData("zlib: \(error)")
            }
        }
    }

    /// One table's stream, as ``stream(of:)`` returns it.
    public struct TableStream: AsyncSequence, Sendable {
        public typealias Element = ByteBuffer
        let reader: BackupFileReader
        let table: BackupManifest.Table

        public func makeAsyncIterator() -> Iterator {
            Iterator(reader: reader, table: table)
        }

        /// Reads the table's chunks in turn.
        public struct Iterator: AsyncIteratorProtocol {
            let reader: BackupFileReader
            let table: BackupManifest.Table
            fileprivate var progress = Progress()

            init(reader: BackupFileReader, table: BackupManifest.Table) {
                self.reader = reader
                self.table = table
            }

            /// The next chunk, or `nil` after the last (once the stream matched the manifest).
            ///
            /// - Throws: ``BackupError`` when the data is corrupt or differs from the manifest.
            public mutating func next() async throws -> ByteBuffer? {
                try reader.next(table, progress: &progress)
            }
        }
    }
}
