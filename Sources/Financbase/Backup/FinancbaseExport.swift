public import FoundationEssentials
import NIOCore
public import PGClient

/// Exports one organization's data to a file of the backup format, for a customer who leaves
/// or asks for it; ``FinancbaseRestore/restoreOrganization(from:on:migrations:organization:appPassword:progress:)``
/// imports it elsewhere.
///
/// ```swift
/// let summary = try await FinancbaseExport.export(
///     organization: organizationID, on: adminConnection, to: "acme.fbexport")
/// print(summary.rows)
/// ```
///
/// The rows are read **as `financbase_app`, inside the organization's own contexts**: an
/// active admin's for the organization's tables, each user's own for the user-scoped ones
/// (preferences, notifications). Row-level security itself then guarantees that no other
/// organization's row can reach the file. Before reading, the administrator counts the
/// organization's rows of every table in the same snapshot; each table read must match its
/// count, so nothing the policies hide is silently left out. The user-scoped rows of a user
/// whose context reads nothing (a deactivated user; a contractor, for tables without a
/// contractor rule) are read by the administrator with the organization and the user in the
/// query's filter, since no context could read them through the policies.
public enum FinancbaseExport {
    /// Streams the organization's rows of every tenant table (global tables, the plugin
    /// catalogue, are left out) inside one `REPEATABLE READ, READ ONLY` transaction, into `path`
    /// (written beside it and renamed when complete).
    ///
    /// The connection must be idle and its role a superuser, or have BYPASSRLS and be a member
    /// of `financbase_app`.
    ///
    /// - Throws: ``BackupError/roleDoesNotBypassRowSecurity(role:)`` or
    ///   ``BackupError/roleCannotActAsApplication(role:)`` before anything starts;
    ///   ``BackupError/organizationNotFound(_:)``, ``BackupError/noActiveReader(_:)``,
    ///   ``BackupError/exportIncomplete(table:read:held:)``, other ``BackupError``s for the
    ///   file; `PGError` from the server. Nothing is left at `path` when it throws.
    public static func export(
        organization: UUID, on connection: PGConnection, to path: String,
        progress: (BackupProgress) -> Void = { _ in }
    ) async throws -> BackupSummary {
        try await BackupCatalog.requireRowSecurityBypass(on: connection)
        try await BackupCatalog.requireApplicationRole(on: connection)
        return try await FinancbaseBackup.snapshot(
            kind: .organization, organizationID: organization.uuidString.lowercased(), on: connection, to: path
        ) { connection, writer in
            var reading = ExportReading(connection: connection, organization: organization)
            let plan = try await BackupCatalog.organizationPlan(organization, on: connection)
            for table in plan.tables {
                try await reading.copy(table, reader: plan.reader, into: writer, progress: progress)
            }
        }
    }
}

/// The export's transaction: switches between the administrator (row security off, for the
/// counts and for rows no context can read) and `financbase_app` in a tenant context, and
/// writes each table as one stream joined from its parts.
private struct ExportReading {
    let connection: PGConnection
    let organization: UUID
    /// Who the transaction acts as.
    private enum Actor: Equatable {
        /// The connected administrator, row security off (as the snapshot starts).
        case administrator
        /// `financbase_app` in a tenant context, row security on.
        case application(TenantContext)
    }

    private var actingAs = Actor.administrator

    init(connection: PGConnection, organization: UUID) {
        self.connection = connection
        self.organization = organization
    }

    /// The administrator, with row security off: a policy that would filter raises instead.
    mutating func asAdministrator() async throws {
        guard actingAs != .administrator else { return }
        try await connection.execute("SET LOCAL ROLE NONE")
        try await connection.execute("SET LOCAL row_security = off")
        actingAs = .administrator
    }

    /// `financbase_app` in the context of `user` in the organization, row security on.
    mutating func asApplication(user: UUID) async throws {
        let context = TenantContext(userID: user, organizationID: organization)
        guard actingAs != .application(context) else { return }
        if actingAs == .administrator {
            try await connection.execute("SET LOCAL ROLE \(unescaped: MigrationRoles.app)")
            try await connection.execute("SET LOCAL row_security = on")
        }
        _ = try await connection.query(TenantSource.context(context).setContextQuery).collect()
        actingAs = .application(context)
    }

    /// Writes `table` as one stream: the header, the rows of each part, the trailer.
    mutating func copy(
        _ table: BackupCatalog.OrganizationPlan.Table, reader: UUID, into writer: BackupFileWriter,
        progress: (BackupProgress) -> Void
    ) async throws {
        let name = table.table.name
        progress(.tableStarted(table: name))
        writer.beginTable(name, columns: table.table.columns)
        try writer.write(ByteBuffer(bytes: BinaryCopyStreamBody.header))
        let columns = table.table.columns.joined(separator: ", ")
        if table.scope == "user" {
            for (user, held) in table.rowsByUser {
                try await asApplication(user: user)
                let read = try await part("SELECT \(columns) FROM \(name)", of: name, into: writer, progress: progress)
                if read == 0 && held > 0 {
                    // No context reads this user's rows through the policies: the filter does.
                    // COPY takes no parameters; the ids are `UUID`s, whose text is hex and dashes.
                    try await asAdministrator()
                    let filter = "organization_id = '\(organization.uuidString.lowercased())' AND user_id = '\(user.uuidString.lowercased())'"
                    let copied = try await part(
                        "SELECT \(columns) FROM \(name) WHERE \(filter)", of: name, into: writer, progress: progress)
                    guard copied == held else { throw BackupError.exportIncomplete(table: name, read: copied, held: held) }
                } else if read != held {
                    throw BackupError.exportIncomplete(table: name, read: read, held: held)
                }
            }
        } else {
            try await asApplication(user: reader)
            let read = try await part("SELECT \(columns) FROM \(name)", of: name, into: writer, progress: progress)
            guard read == table.rows else { throw BackupError.exportIncomplete(table: name, read: read, held: table.rows) }
        }
        try writer.write(ByteBuffer(bytes: BinaryCopyStreamBody.trailer))
        let entry = try writer.endTable()
        progress(.tableFinished(table: name, rows: entry.rows, bytes: entry.bytes))
    }

    /// Copies the rows of `select` into the current table's stream; returns how many.
    private func part(
        _ select: String, of table: String, into writer: BackupFileWriter, progress: (BackupProgress) -> Void
    ) async throws -> Int {
        let before = writer.currentTableProgress.rows
        var body = BinaryCopyStreamBody()
        let data = try await connection.copyOut("COPY (\(select)) TO STDOUT (FORMAT binary)")
        do {
            for try await chunk in data {
                try writer.write(try body.rows(of: chunk))
                let (rows, bytes) = writer.currentTableProgress
                progress(.tableAdvanced(table: table, rows: rows, bytes: bytes))
            }
            try body.finish()
        } catch let malformed as BinaryCopyRowCounter.Malformed {
            throw BackupError.malformedCopyData(table: table, reason: malformed.reason)
        }
        return writer.currentTableProgress.rows - before
    }
}
