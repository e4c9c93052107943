import CompressNIO
import Crypto
import Foundation
import NIOCore

/// Writes a backup file (see ``BackupFileFormat``) from table streams handed over chunk by
/// chunk, in bounded memory.
///
/// The compressed data goes to `FILE.data.partial` first, since the manifest that precedes it
/// needs every table's count and checksum; ``finish(_:)`` then writes header, manifest, data and
/// checksum to `FILE.partial` and renames it to `FILE`, so `FILE` is either a whole backup or
/// untouched.
final class BackupFileWriter {
    private let path: String
    private let dataPath: String
    private let partialPath: String
    private let data: FileHandle
    private let deflater: ZlibCompressor
    private var window = ByteBufferAllocator().buffer(capacity: 256 * 1024)
    private var compressedLength = 0
    private var current: (name: String, columns: [String], digest: BackupStreamDigest)?
    /// The tables written so far, in order.
    private(set) var tables: [BackupManifest.Table] = []
    /// Uncompressed bytes written so far.
    private(set) var uncompressedLength = 0

    private static let chunk = 256 * 1024

    /// Starts a backup file at `path` (written only when ``finish(_:)`` succeeds).
    ///
    /// - Throws: ``BackupError/io(_:)`` when the temporary file cannot be created.
    init(path: String) throws(BackupError) {
        self.path = path
        self.dataPath = path + ".data.partial"
        self.partialPath = path + ".partial"
        guard FileManager.default.createFile(atPath: dataPath, contents: nil),
            let handle = FileHandle(forWritingAtPath: dataPath)
        else { throw .io("cannot create \(dataPath)") }
        self.data = handle
        do {
            self.deflater = try ZlibCompressor(algorithm: .zlib, configuration: .init(compressionLevel: .compressionLevel6))
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: dataPath)
            throw .io("zlib: \(error)")
        }
    }

    /// Rows and bytes of the current table so far.
    var currentTableProgress: (rows: Int, bytes: Int) {
        (current?.digest.rows ?? 0, current?.digest.bytes ?? 0)
    }

    /// Starts the next table's stream.
    func beginTable(_ name: String, columns: [String]) {
        current = (name, columns, BackupStreamDigest())
    }

    /// Appends a chunk of the current table's binary COPY stream.
    ///
    /// - Throws: ``BackupError`` when the data is malformed or writing fails.
    func write(_ chunk: ByteBuffer) throws(BackupError) {
        guard let name = current?.name else { throw .io("no table started") }
        try current?.digest.update(chunk, table: name)
        uncompressedLength += chunk.readableBytes
        // zlib makes no progress on empty input without a flush, which would never end the loop.
        guard chunk.readableBytes > 0 else { return }
        var input = chunk
        try deflate(&input, flush: .no)
    }

    /// Ends the current table's stream and returns its manifest entry.
    ///
    /// - Throws: ``BackupError/malformedCopyData(table:reason:)`` when it ended mid-row.
    @discardableResult
    func endTable() throws(BackupError) -> BackupManifest.Table {
        guard let current else { throw .io("no table started") }
        let table = try current.digest.finish(table: current.name, columns: current.columns)
        tables.append(table)
        self.current = nil
        return table
    }

    /// Writes the file: `manifest` (its tables replaced by those written here), then the data,
    /// then the checksum; returns the file's length.
    ///
    /// - Throws: ``BackupError/io(_:)`` when writing fails (the partial files are removed).
    func finish(_ manifest: BackupManifest) throws(BackupError) -> Int {
        do {
            var empty = ByteBufferAllocator().buffer(capacity: 16)
            try deflate(&empty, flush: .finish)
            try data.synchronize()
            try data.close()
            var manifest = manifest
            manifest.tables = tables
            let manifestBytes = try manifest.encoded()
            let header = BackupFileFormat.Header(
                formatVersion: BackupFileFormat.version, manifestLength: manifestBytes.count,
                dataLength: compressedLength)
            guard FileManager.default.createFile(atPath: partialPath, contents: nil),
                let out = FileHandle(forWritingAtPath: partialPath),
                let input = FileHandle(forReadingAtPath: dataPath)
            else { throw BackupError.io("cannot create \(partialPath)") }
            defer {
                try? out.close()
                try? input.close()
            }
            var hasher = SHA256()
            for part in [header.bytes, manifestBytes] {
                hasher.update(data: part)
                try out.write(contentsOf: part)
            }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                try out.write(contentsOf: chunk)
            }
            try out.write(contentsOf: Array(hasher.finalize()))
            try out.synchronize()
            guard rename(partialPath, path) == 0 else {
                throw BackupError.io("cannot rename \(partialPath) to \(path): errno \(errno)")
            }
            try? FileManager.default.removeItem(atPath: dataPath)
            return header.fileLength
        } catch let error as BackupError {
            abandon()
            throw error
        } catch {
            abandon()
            throw .io("\(error)")
        }
    }

    /// Removes the partial files; `path` is left as it was.
    func abandon() {
        try? data.close()
        try? FileManager.default.removeItem(atPath: dataPath)
        try? FileManager.default.removeItem(atPath: partialPath)
    }

    private func deflate(_ input: inout ByteBuffer, flush: CompressNIOFlush) throws(BackupError) {
        while true {
            window.clear()
            window.reserveCapacity(minimumWritableBytes: Self.chunk)
            var done = false
            do {
                try deflater.deflate(from: &input, to: &window, flush: flush)
                done = flush == .finish || input.readableBytes == 0
            } catch let error as CompressNIOError where error == .bufferOverflow {
                done = false
            } catch {
                throw .io("zlib: \(error)")
            }
            if window.readableBytes > 0 {
                compressedLength += window.readableBytes
                do { try data.write(contentsOf: Data(window.readableBytesView)) } catch {
                    throw .io("writing \(dataPath): \(error)")
                }
            }
            if done { return }
        }
    }
}
