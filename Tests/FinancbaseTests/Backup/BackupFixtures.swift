@testable import Financbase
import Foundation
import NIOCore

/// Byte fixtures of `Fixtures/backup/` and helpers that make and damage backup files.
enum BackupFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Backup
        .deletingLastPathComponent()  // FinancbaseTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Fixtures/backup")

    /// A binary COPY stream of three rows: (1, 'a'), (NULL, 'bc') and a row of no columns.
    static func threeRows() throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("three-rows.copy")))
    }

    /// A path for a new file in the temporary folder.
    static func temporaryPath(_ name: String = "backup") -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString).fbbackup").path
    }

    /// A small manifest skeleton (tables are filled by the writer).
    static func manifest(schemaVersion: Int = 1) -> BackupManifest {
        BackupManifest(
            formatVersion: BackupFileFormat.version, kind: .full, organizationID: nil,
            takenAt: "2026-12-03T10:00:00.000000Z", schemaVersion: schemaVersion,
            migrations: [.init(version: 1, name: "foundation", checksum: String(repeating: "a", count: 64))],
            tables: [])
    }

    /// Writes a backup of `tables` (name and stream, fed in 7-byte chunks) to a new file.
    static func write(_ tables: [(String, [UInt8])]) throws -> String {
        let path = temporaryPath()
        let writer = try BackupFileWriter(path: path)
        for (name, stream) in tables {
            writer.beginTable(name, columns: ["a", "b"])
            var index = 0
            while index < stream.count {
                let end = min(index + 7, stream.count)
                try writer.write(ByteBuffer(bytes: stream[index..<end]))
                index = end
            }
            try writer.endTable()
        }
        _ = try writer.finish(manifest())
        return path
    }

    /// Replaces the file's bytes by `change(bytes)`.
    static func damage(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Sets the format version field and recomputes the closing checksum, so only the version
    /// is wrong.
    static func setVersion(_ version: UInt32, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: version.bigEndian) { bytes.replaceSubrange(8..<12, with: $0) }
        resign(&bytes)
    }

    /// Recomputes the closing SHA-256.
    static func resign(_ bytes: inout [UInt8]) {
        let body = bytes.dropLast(BackupFileFormat.trailerLength)
        bytes = Array(body) + Array(SHA256Digest.of(Array(body)))
    }

    /// Rewrites the backup at `path` into a new file with `transform` applied to its tables
    /// (drop one, say), streams copied through reader and writer.
    static func rewrite(
        _ path: String, keeping keep: (BackupManifest.Table) -> Bool
    ) async throws -> String {
        let reader = try BackupFileReader(path: path)
        defer { reader.close() }
        let out = temporaryPath("rewritten")
        let writer = try BackupFileWriter(path: out)
        for table in reader.manifest.tables {
            if keep(table) { writer.beginTable(table.name, columns: table.columns) }
            for try await chunk in reader.stream(of: table) where keep(table) { try writer.write(chunk) }
            if keep(table) { try writer.endTable() }
        }
        _ = try writer.finish(reader.manifest)
        return out
    }
}
