@testable import Financbase
import Foundation
import NIOCore
import Testing

/// The pure parts of backups: the binary COPY row counter, the file layout, and the reader's
/// refusal of damaged files, on byte fixtures and without a database.
@Suite("Backup file format")
struct BackupFormatTests {
    @Test("the row counter counts rows whatever the chunking, and refuses broken framing")
    func rowCounter() throws {
        let stream = try BackupFixtures.threeRows()
        for size in [1, 2, 3, 5, 19, stream.count] {
            var counter = BinaryCopyRowCounter()
            var index = 0
            while index < stream.count {
                let end = min(index + size, stream.count)
                try Array(stream[index..<end]).withUnsafeBytes { try counter.consume($0) }
                index = end
            }
            #expect(try counter.finish() == 3, "chunks of \(size)")
        }

        var cut = BinaryCopyRowCounter()
        try Array(stream.dropLast(2)).withUnsafeBytes { try cut.consume($0) }
        #expect(throws: BinaryCopyRowCounter.Malformed.self) { try cut.finish() }

        var extra = BinaryCopyRowCounter()
        #expect(throws: BinaryCopyRowCounter.Malformed.self) {
            try (stream + [0]).withUnsafeBytes { try extra.consume($0) }
        }

        var notCopy = BinaryCopyRowCounter()
        #expect(throws: BinaryCopyRowCounter.Malformed.self) {
            try Array("id,name\n1,alice\n".utf8).withUnsafeBytes { try notCopy.consume($0) }
        }
    }

    @Test("streams join into one: each part's header and trailer dropped, whatever the chunking; a part without its trailer or header is refused")
    func streamBody() throws {
        let stream = try BackupFixtures.threeRows()
        for size in [1, 2, 3, 7, 19, 20, 21, stream.count] {
            var joined = BinaryCopyStreamBody.header
            for _ in 0..<3 {
                var body = BinaryCopyStreamBody()
                var index = 0
                while index < stream.count {
                    let end = min(index + size, stream.count)
                    joined += Array(try body.rows(of: ByteBuffer(bytes: stream[index..<end])).readableBytesView)
                    index = end
                }
                try body.finish()
            }
            joined += BinaryCopyStreamBody.trailer
            var counter = BinaryCopyRowCounter()
            try joined.withUnsafeBytes { try counter.consume($0) }
            #expect(try counter.finish() == 9, "chunks of \(size)")
            #expect(joined.count == 3 * stream.count - 2 * (BinaryCopyStreamBody.header.count + 2), "chunks of \(size)")
        }

        var cut = BinaryCopyStreamBody()
        _ = try cut.rows(of: ByteBuffer(bytes: stream.dropLast(1)))
        #expect(throws: BinaryCopyRowCounter.Malformed.self) { try cut.finish() }

        var headerOnly = BinaryCopyStreamBody()
        _ = try headerOnly.rows(of: ByteBuffer(bytes: stream.prefix(10)))
        #expect(throws: BinaryCopyRowCounter.Malformed.self) { try headerOnly.finish() }

        var foreign = BinaryCopyStreamBody()
        #expect(throws: BinaryCopyRowCounter.Malformed.self) {
            _ = try foreign.rows(of: ByteBuffer(bytes: Array("id,name\n1,alice\n2,bob\n".utf8)))
        }
    }

    @Test("empty chunks between others are written as nothing (zlib makes no progress on them)")
    func emptyChunks() async throws {
        let stream = try BackupFixtures.threeRows()
        let path = BackupFixtures.temporaryPath("empty-chunks")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try BackupFileWriter(path: path)
        writer.beginTable("t", columns: ["a", "b"])
        for byte in stream {
            try writer.write(ByteBuffer())
            try writer.write(ByteBuffer(bytes: [byte]))
        }
        try writer.write(ByteBuffer())
        #expect(try writer.endTable().rows == 3)
        _ = try writer.finish(BackupFixtures.manifest())
        let reader = try BackupFileReader(path: path)
        defer { reader.close() }
        var read: [UInt8] = []
        for try await chunk in reader.stream(of: reader.manifest.tables[0]) { read += Array(chunk.readableBytesView) }
        #expect(read == stream)
    }

    @Test("the header encodes and decodes, and names a short, long or foreign file")
    func header() throws {
        let header = BackupFileFormat.Header(formatVersion: 1, manifestLength: 300, dataLength: 70_000)
        let bytes = header.bytes
        #expect(bytes.count == BackupFileFormat.headerLength)
        #expect(Array(bytes.prefix(8)) == Array("FBBACKUP".utf8))
        #expect(try BackupFileFormat.Header.decode(bytes, fileLength: header.fileLength) == header)
        #expect(throws: BackupError.truncated(expectedBytes: header.fileLength, actualBytes: 1000)) {
            try BackupFileFormat.Header.decode(bytes, fileLength: 1000)
        }
        #expect(throws: BackupError.trailingBytes(expectedBytes: header.fileLength, actualBytes: header.fileLength + 1)) {
            try BackupFileFormat.Header.decode(bytes, fileLength: header.fileLength + 1)
        }
        var foreign = bytes
        foreign[0] = UInt8(ascii: "X")
        #expect(throws: BackupError.notABackup) {
            try BackupFileFormat.Header.decode(foreign, fileLength: header.fileLength)
        }
        var future = bytes
        future[11] = 2
        #expect(throws: BackupError.unsupportedFormatVersion(found: 2, supported: 1)) {
            try BackupFileFormat.Header.decode(future, fileLength: header.fileLength)
        }
    }

    @Test("a written file reads back table by table with the manifest's counts and checksums")
    func roundTrip() async throws {
        let stream = try BackupFixtures.threeRows()
        let path = try BackupFixtures.write([("t.one", stream), ("t.two", stream + [])])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        #expect(!FileManager.default.fileExists(atPath: path + ".data.partial"))

        let reader = try BackupFileReader(path: path)
        defer { reader.close() }
        #expect(reader.manifest.tables.map(\.name) == ["t.one", "t.two"])
        #expect(reader.manifest.tables.allSatisfy { $0.rows == 3 && $0.bytes == stream.count })
        #expect(reader.manifest.tables[0].sha256 == Migration.hex(SHA256Digest.of(stream)))
        for table in reader.manifest.tables {
            var bytes: [UInt8] = []
            for try await chunk in reader.stream(of: table) { bytes += Array(chunk.readableBytesView) }
            #expect(bytes == stream)
        }
        try reader.finish()
    }

    @Test("a version-1 file written by another implementation (Fixtures/backup) reads back")
    func goldenFile() async throws {
        let reader = try BackupFileReader(path: BackupFixtures.directory.appendingPathComponent("three-rows-v1.fbbackup").path)
        defer { reader.close() }
        #expect(reader.manifest.formatVersion == 1 && reader.manifest.kind == .full)
        #expect(reader.manifest.migrations.map(\.version) == [1])
        let table = try #require(reader.manifest.tables.first)
        #expect(table.name == "t.one" && table.rows == 3)
        var bytes: [UInt8] = []
        for try await chunk in reader.stream(of: table) { bytes += Array(chunk.readableBytesView) }
        #expect(bytes == (try BackupFixtures.threeRows()))
        try reader.finish()
    }

    @Test("damaged files are refused when opened, each with its own error")
    func damagedFiles() throws {
        let stream = try BackupFixtures.threeRows()
        func damaged(_ change: (inout [UInt8]) -> Void) throws -> String {
            let path = try BackupFixtures.write([("t.one", stream)])
            try BackupFixtures.damage(path, change)
            return path
        }
        let truncated = try damaged { $0.removeLast(10) }
        #expect { try BackupFileReader(path: truncated) } throws: { error in
            if case BackupError.truncated = error { return true }
            return false
        }
        let flipped = try damaged { $0[$0.count / 2] ^= 0x01 }
        #expect(throws: BackupError.fileChecksumMismatch) { try BackupFileReader(path: flipped) }
        let version = try damaged { BackupFixtures.setVersion(2, in: &$0) }
        #expect(throws: BackupError.unsupportedFormatVersion(found: 2, supported: 1)) {
            try BackupFileReader(path: version)
        }
        let empty = try damaged { $0 = [] }
        #expect { try BackupFileReader(path: empty) } throws: { error in
            if case BackupError.truncated = error { return true }
            return false
        }
        for path in [truncated, flipped, version, empty] { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test("a stream whose bytes differ from the manifest fails at its end")
    func tableMismatch() async throws {
        let stream = try BackupFixtures.threeRows()
        let path = try BackupFixtures.write([("t.one", stream)])
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Rewrite the manifest's checksum and re-sign the file: only the table's digest is wrong.
        try BackupFixtures.damage(path) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let good = Migration.hex(SHA256Digest.of(stream))
            let bad = String(repeating: "0", count: 64)
            if let range = text.range(of: good) {
                let offset = text.utf8.distance(from: text.startIndex, to: range.lowerBound)
                bytes.replaceSubrange(offset..<(offset + 64), with: Array(bad.utf8))
            }
            BackupFixtures.resign(&bytes)
        }
        let reader = try BackupFileReader(path: path)
        defer { reader.close() }
        let table = try #require(reader.manifest.tables.first)
        await #expect { for try await _ in reader.stream(of: table) {} } throws: { error in
            if case BackupError.tableMismatch(table: "t.one", _) = error { return true }
            return false
        }
    }
}

/// SHA-256 in tests, through the module's own helper.
enum SHA256Digest {
    static func of(_ bytes: [UInt8]) -> [UInt8] { BackupStreamDigest.sha256(bytes) }
}
