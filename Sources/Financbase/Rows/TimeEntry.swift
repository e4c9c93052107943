public import FoundationEssentials
public import PGWire

/// Where a time entry is, from running to billed.
public enum TimeEntryStatus: String, StoredEnum {
    /// Each status, as stored.
    case draft, running, paused, completed, approved, billed
}

/// Time a user spent on a project.
public struct TimeEntry: Sendable, Hashable, Decodable {
    /// The entry's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// Who worked.
    public let userID: UUID
    /// On which project.
    public var projectID: UUID
    /// On what.
    public var description: String
    /// When the work started.
    public var startedAt: Date
    /// When it ended; `nil` while running.
    public var endedAt: Date?
    /// How many hours.
    public var durationHours: PGNumeric?
    /// Where the entry is.
    public var status: TimeEntryStatus
    /// Whether it is billed.
    public var isBillable: Bool
    /// The hourly rate.
    public var hourlyRate: PGNumeric?
    /// The amount billed.
    public var amount: PGNumeric?
    /// The currency (ISO 4217).
    public var currency: String
    /// The invoice it was billed on.
    public var invoiceID: UUID?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension TimeEntry: StoredRecord {
    static let relation = "time_entries"
    static let columns = """
        id, organization_id, user_id, project_id, description, started_at, ended_at,
        duration_hours, status, is_billable, hourly_rate, amount, currency, invoice_id,
        created_at, updated_at
        """
}
