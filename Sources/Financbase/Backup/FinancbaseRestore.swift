import FoundationEssentials
public import PGClient

/// Restores a backup file into a database with no Financbase data.
///
/// ```swift
/// let summary = try await FinancbaseRestore.restore(
///     from: "nightly.fbbackup", on: adminConnection, migrations: try BundledMigrations.load())
/// ```
///
/// `organizations` and `users` reference each other, so no table order satisfies immediate
/// foreign keys. The restore runs with `session_replication_role = replica` for its
/// transaction (which turns off triggers, foreign-key checks among them) and then checks every
/// foreign key of the schema itself before COMMIT; the schema stays as the migrations made it.
public enum FinancbaseRestore {
    /// Checks the whole file, brings the database to the backup's schema version (applying the
    /// bundled `migrations` up to it when it is behind; its own journal stays), then in one
    /// transaction copies every table with `COPY … FROM STDIN (FORMAT binary)`, checks each
    /// table's rows and SHA-256 against the manifest and every foreign key, and commits. Global
    /// tables (the plugin catalogue) are replaced by the backup's rows.
    ///
    /// The connection must be idle and its role a superuser or have BYPASSRLS (a superuser, to
    /// set `session_replication_role`).
    ///
    /// - Throws: ``BackupError`` naming what is wrong (the file's integrity, its format version,
    ///   its kind, migration checksums, tables missing from the manifest or unknown, columns, a
    ///   non-empty target, a broken foreign key); ``MigrationError`` or `PGError`. No data is
    ///   written when it throws.
    public static func restore(
        from path: String, on connection: PGConnection, migrations: [Migration],
        appPassword: String? = nil, progress: (BackupProgress) -> Void = { _ in }
    ) async throws -> BackupSummary {
        let clock = ContinuousClock()
        let start = clock.now
        try await BackupCatalog.requireRowSecurityBypass(on: connection)
        let reader = try open(path, kind: .full)
        defer { reader.close() }
        let manifest = reader.manifest
        try await prepareSchema(for: manifest, on: connection, migrations: migrations, appPassword: appPassword)
        let tables = try await BackupCatalog.tables(on: connection)
        try check(manifest, against: tables)

        let byName = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        try await connection.withTransaction { connection in
            try await connection.execute("SET LOCAL row_security = off")
            try await connection.execute("SET LOCAL session_replication_role = replica")
            if let table = try await BackupCatalog.firstTableWithRows(tables, on: connection) {
                throw BackupError.targetNotEmpty(table: table)
            }
            for entry in manifest.tables {
                progress(.tableStarted(table: entry.name))
                if entry.name == BackupCatalog.journal {
                    // The target keeps its own journal: the stream is only checked.
                    for try await _ in reader.stream(of: entry) {}
                } else {
                    if byName[entry.name]?.holdsTenantRows == false {
                        try await connection.execute("DELETE FROM \(unescaped: entry.name)")
                    }
                    let result = try await connection.copyIn(
                        "COPY \(entry.name) (\(entry.columns.joined(separator: ", "))) FROM STDIN (FORMAT binary)",
                        from: reader.stream(of: entry))
                    guard result.rowCount == Int64(entry.rows) else {
                        throw BackupError.tableMismatch(
                            table: entry.name, reason: "the server took \(result.rowCount ?? -1) rows of \(entry.rows)")
                    }
                }
                progress(.tableFinished(table: entry.name, rows: entry.rows, bytes: entry.bytes))
            }
            try reader.finish()
            try await BackupCatalog.verifyForeignKeys(on: connection)
        }
        return BackupSummary(
            file: path, manifest: manifest, fileBytes: reader.fileLength, seconds: (clock.now - start).seconds)
    }

    /// Opens and checks the file at `path`, which must be of `kind`.
    ///
    /// - Throws: what ``BackupFileReader/init(path:)`` throws, or
    ///   ``BackupError/wrongKind(expected:found:)``.
    static func open(_ path: String, kind: BackupManifest.Kind) throws(BackupError) -> BackupFileReader {
        let reader = try BackupFileReader(path: path)
        guard reader.manifest.kind == kind else {
            reader.close()
            throw .wrongKind(expected: kind.rawValue, found: reader.manifest.kind.rawValue)
        }
        return reader
    }

    /// Refuses migration files that differ from the file's and a target past the file's
    /// version; then, for a full restore (`requireEmpty`), a target holding data, and for an
    /// organization import, a target holding data at an older version. Migrates a target that
    /// is behind (and, for an import, empty).
    static func prepareSchema(
        for manifest: BackupManifest, on connection: PGConnection, migrations: [Migration],
        appPassword: String?, requireEmpty: Bool = true
    ) async throws {
        let files = migrations.filter { $0.version <= manifest.schemaVersion }
        let differing = manifest.migrationDifferences(from: files)
        guard differing.isEmpty else { throw BackupError.migrationChecksumsDiffer(differing) }
        let current = try await MigrationJournal.rows(on: connection).map(\.version).max() ?? 0
        guard current <= manifest.schemaVersion else {
            throw BackupError.targetSchemaAhead(target: current, backup: manifest.schemaVersion)
        }
        if current > 0, requireEmpty || current < manifest.schemaVersion,
            let table = try await BackupCatalog.firstTableWithRows(
                try await BackupCatalog.tables(on: connection), on: connection)
        {
            if requireEmpty { throw BackupError.targetNotEmpty(table: table) }
            throw BackupError.targetSchemaBehind(target: current, backup: manifest.schemaVersion)
        }
        if current < manifest.schemaVersion {
            try await MigrationRunner(migrations: files, appPassword: appPassword).migrate(on: connection)
        }
    }

    /// Every table of the target must have a stream in the manifest with the same columns, and
    /// every stream a table.
    static func check(_ manifest: BackupManifest, against tables: [BackupCatalog.Table]) throws(BackupError) {
        let streams = Dictionary(manifest.tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for table in tables {
            guard let stream = streams[table.name] else { throw .tableMissingFromManifest(table.name) }
            guard stream.columns == table.columns else {
                throw .columnsDiffer(table: table.name, manifest: stream.columns, target: table.columns)
            }
        }
        let names = Set(tables.map(\.name))
        if let unknown = manifest.tables.first(where: { !names.contains($0.name) }) {
            throw .unknownTable(unknown.name)
        }
    }
}
