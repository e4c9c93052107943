import FoundationEssentials
public import PGClient

/// Backs up a Financbase database to a file: every table of the `financbase` schema and the
/// migration journal, from one snapshot. (The file's layout is in the data layer article,
/// "Backups and restores".)
///
/// ```swift
/// let summary = try await FinancbaseBackup.backup(on: adminConnection, to: "nightly.fbbackup")
/// print(summary.rows, summary.compressionRatio)
/// ```
public enum FinancbaseBackup {
    /// Streams every table with `COPY … TO STDOUT (FORMAT binary)` inside one
    /// `REPEATABLE READ, READ ONLY` transaction with `row_security = off`, compressing as it
    /// goes; memory stays bounded whatever the tables' sizes. The file at `path` appears only
    /// when the backup is complete (it is written beside it and renamed).
    ///
    /// The connection must be idle and its role a superuser or have BYPASSRLS.
    ///
    /// - Throws: ``BackupError/roleDoesNotBypassRowSecurity(role:)`` before anything starts;
    ///   ``BackupError`` when the data is malformed or the file cannot be written; `PGError`
    ///   from the server. Nothing is left at `path` (or beside it) when it throws.
    public static func backup(
        on connection: PGConnection, to path: String,
        progress: (BackupProgress) -> Void = { _ in }
    ) async throws -> BackupSummary {
        try await BackupCatalog.requireRowSecurityBypass(on: connection)
        return try await snapshot(kind: .full, organizationID: nil, on: connection, to: path) { connection, writer in
            for table in try await BackupCatalog.tables(on: connection) {
                try await copy(table, on: connection, into: writer, progress: progress)
            }
        }
    }

    /// Runs `copyTables` inside one `REPEATABLE READ, READ ONLY` transaction with
    /// `row_security = off`, then writes the file at `path` with a manifest of `kind` (the
    /// snapshot's time, schema version and migrations); on any error nothing is left at `path`.
    static func snapshot(
        kind: BackupManifest.Kind, organizationID: String?, on connection: PGConnection, to path: String,
        copyTables: (PGConnection, BackupFileWriter) async throws -> Void
    ) async throws -> BackupSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let writer = try BackupFileWriter(path: path)
        do {
            let manifest = try await connection.withTransaction(.init(isolation: .repeatableRead, readOnly: true)) {
                connection in
                try await connection.execute("SET LOCAL row_security = off")
                let takenAt = try await connection.query("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
                    .collect().first?.decode(String.self, at: 0) ?? ""
                let journal = try await MigrationJournal.rows(on: connection)
                try await copyTables(connection, writer)
                return BackupManifest(
                    formatVersion: BackupFileFormat.version, kind: kind, organizationID: organizationID,
                    takenAt: takenAt, schemaVersion: journal.map(\.version).max() ?? 0,
                    migrations: journal.map { .init(version: $0.version, name: $0.name, checksum: $0.checksum) },
                    tables: [])
            }
            let length = try writer.finish(manifest)
            var written = manifest
            written.tables = writer.tables
            return BackupSummary(
                file: path, manifest: written, fileBytes: length, seconds: (clock.now - start).seconds)
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Streams one table into the writer.
    static func copy(
        _ table: BackupCatalog.Table, on connection: PGConnection, into writer: BackupFileWriter,
        progress: (BackupProgress) -> Void
    ) async throws {
        progress(.tableStarted(table: table.name))
        writer.beginTable(table.name, columns: table.columns)
        let data = try await connection.copyOut(
            "COPY \(table.name) (\(table.columns.joined(separator: ", "))) TO STDOUT (FORMAT binary)")
        for try await chunk in data {
            try writer.write(chunk)
            let (rows, bytes) = writer.currentTableProgress
            progress(.tableAdvanced(table: table.name, rows: rows, bytes: bytes))
        }
        let entry = try writer.endTable()
        progress(.tableFinished(table: table.name, rows: entry.rows, bytes: entry.bytes))
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
