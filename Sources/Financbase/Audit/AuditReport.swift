/// What ``FinancbaseAudit/run(on:appRole:ownerRole:schemas:)`` found.
///
/// ```swift
/// let report = try await FinancbaseAudit.run(on: connection)
/// if !report.isClean { report.offenders.forEach { print($0) } }
/// ```
public struct AuditReport: Sendable, Hashable, Codable {
    /// The application role that was checked.
    public var appRole: String
    /// The schemas whose tables and views were checked.
    public var schemas: [String]
    /// The tables found to hold tenant rows (`schema.table`), in order.
    public var tenantTables: [String]
    /// What must be fixed; the audit fails when there is any.
    public var offenders: [AuditFinding]
    /// What is worth knowing but not wrong in itself (shared tables, SECURITY DEFINER functions).
    public var notes: [AuditFinding]

    /// Whether nothing must be fixed.
    public var isClean: Bool { offenders.isEmpty }

    /// Creates a report.
    public init(
        appRole: String, schemas: [String], tenantTables: [String], offenders: [AuditFinding],
        notes: [AuditFinding]
    ) {
        self.appRole = appRole
        self.schemas = schemas
        self.tenantTables = tenantTables
        self.offenders = offenders
        self.notes = notes
    }
}
