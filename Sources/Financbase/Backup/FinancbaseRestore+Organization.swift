public import FoundationEssentials
public import PGClient

extension FinancbaseRestore {
    /// Imports an organization export (``FinancbaseExport``) into a database at the export's
    /// schema version that does not hold that organization yet; the other organizations'
    /// rows stay as they are, and the organization keeps its ids.
    ///
    /// The whole file is checked first. A database never migrated is migrated to the export's
    /// version; one holding data must be at that version already. Then one transaction copies
    /// every table, checks each table's rows and SHA-256 against the manifest, that every row
    /// belongs to the organization, and the foreign keys of the organization's rows, and
    /// commits. Foreign keys and triggers are off while copying, as in ``restore(from:on:migrations:appPassword:progress:)``.
    /// When `organization` is given, the file must be that organization's export.
    ///
    /// - Throws: ``BackupError``: ``BackupError/wrongKind(expected:found:)`` for a full backup,
    ///   ``BackupError/organizationMismatch(expected:found:)``,
    ///   ``BackupError/organizationExists(_:)``, ``BackupError/uniqueClash(table:constraint:)``
    ///   when a row clashes with another organization's in a column unique across
    ///   organizations (a Clerk id, a slug), ``BackupError/foreignRows(table:rows:)``,
    ///   ``BackupError/targetSchemaBehind(target:backup:)``, and the file and schema errors of
    ///   a full restore; ``MigrationError`` or `PGError`. Nothing is written when it throws.
    public static func restoreOrganization(
        from path: String, on connection: PGConnection, migrations: [Migration],
        organization expected: UUID? = nil, appPassword: String? = nil,
        progress: (BackupProgress) -> Void = { _ in }
    ) async throws -> BackupSummary {
        let clock = ContinuousClock()
        let start = clock.now
        try await BackupCatalog.requireRowSecurityBypass(on: connection)
        let reader = try open(path, kind: .organization)
        defer { reader.close() }
        let manifest = reader.manifest
        guard let organization = manifest.organizationID.flatMap(UUID.init(uuidString:)) else {
            throw BackupError.corruptManifest("an organization export without a valid organizationID")
        }
        if let expected, expected != organization {
            throw BackupError.organizationMismatch(expected: expected, found: manifest.organizationID)
        }
        try await prepareSchema(
            for: manifest, on: connection, migrations: migrations, appPassword: appPassword, requireEmpty: false)
        let tables = try await BackupCatalog.tables(on: connection).filter(\.holdsTenantRows)
        try check(manifest, against: tables)

        try await connection.withTransaction { connection in
            try await connection.execute("SET LOCAL row_security = off")
            try await connection.execute("SET LOCAL session_replication_role = replica")
            let exists = try await connection.query(
                "SELECT EXISTS (SELECT FROM financbase.organizations WHERE id = \(organization))"
            ).collect().first?.decode(Bool.self, at: 0) ?? false
            if exists { throw BackupError.organizationExists(organization) }
            for entry in manifest.tables {
                progress(.tableStarted(table: entry.name))
                try await copy(entry, from: reader, on: connection)
                try await requireOwned(entry, by: organization, on: connection)
                progress(.tableFinished(table: entry.name, rows: entry.rows, bytes: entry.bytes))
            }
            try reader.finish()
            try await BackupCatalog.verifyForeignKeys(on: connection, organization: organization)
        }
        return BackupSummary(
            file: path, manifest: manifest, fileBytes: reader.fileLength, seconds: (clock.now - start).seconds)
    }

    /// Copies one table's stream in; a unique violation (a row clashing with another
    /// organization's) becomes ``BackupError/uniqueClash(table:constraint:)``.
    private static func copy(
        _ entry: BackupManifest.Table, from reader: BackupFileReader, on connection: PGConnection
    ) async throws {
        let result: PGCommandResult
        do {
            result = try await connection.copyIn(
                "COPY \(entry.name) (\(entry.columns.joined(separator: ", "))) FROM STDIN (FORMAT binary)",
                from: reader.stream(of: entry))
        } catch let error as PGError where error.sqlState == .uniqueViolation {
            throw BackupError.uniqueClash(table: entry.name, constraint: error.constraintName ?? "a unique constraint")
        }
        guard result.rowCount == Int64(entry.rows) else {
            throw BackupError.tableMismatch(
                table: entry.name, reason: "the server took \(result.rowCount ?? -1) rows of \(entry.rows)")
        }
    }

    /// Every row the table holds for `organization` came from the file, so there must be as
    /// many as the file has rows; fewer means some rows named another organization.
    private static func requireOwned(
        _ entry: BackupManifest.Table, by organization: UUID, on connection: PGConnection
    ) async throws {
        let owner = BackupCatalog.ownerColumn(of: entry.name)
        let owned = try await connection.query(
            "SELECT count(*) FROM \(unescaped: entry.name) WHERE \(unescaped: owner) = \(organization)"
        ).collect().first?.decode(Int.self, at: 0) ?? 0
        if owned != entry.rows { throw BackupError.foreignRows(table: entry.name, rows: entry.rows - owned) }
    }
}
