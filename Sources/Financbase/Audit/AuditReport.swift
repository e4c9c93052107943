/// What ``FinancbaseAudit/run(on:appRole:ownerRole:schemas:allowedDefiners:)`` found.
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
    /// The tables without a tenant column that the application role may only read: reference
    /// data every tenant shares (`schema.table`), in order.
    public var globalTables: [String]
    /// What must be fixed; the audit fails when there is any.
    public var offenders: [AuditFinding]

    /// Whether nothing must be fixed.
    public var isClean: Bool { offenders.isEmpty }

    /// Creates a report.
    public init(
        appRole: String, schemas: [String], tenantTables: [String], globalTables: [String] = [],
        offenders: [AuditFinding]
    ) {
        self.appRole = appRole
        self.schemas = schemas
        self.tenantTables = tenantTables
        self.globalTables = globalTables
        self.offenders = offenders
    }
}
