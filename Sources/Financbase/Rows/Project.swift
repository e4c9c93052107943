public import FoundationEssentials
public import PGWire

/// Where a project is in its life.
public enum ProjectStatus: String, StoredEnum {
    /// Each status, as stored.
    case planning, active, onHold = "on_hold", completed, cancelled
}

/// How urgent a project or task is.
public enum Priority: String, StoredEnum {
    /// Each priority, as stored.
    case low, medium, high, urgent
}

/// Work done for a client (or in-house), with a budget and a rate.
public struct Project: Sendable, Hashable, Decodable {
    /// The project's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who created it.
    public let userID: UUID
    /// The client it is for.
    public var clientID: UUID?
    /// The project's name.
    public var name: String
    /// A free description.
    public var description: String?
    /// Where it is in its life.
    public var status: ProjectStatus
    /// How urgent it is.
    public var priority: Priority
    /// When work starts.
    public var startDate: PGDate?
    /// When it is due.
    public var dueDate: PGDate?
    /// When it was completed.
    public var completedAt: Date?
    /// The budget.
    public var budget: PGNumeric?
    /// The hourly rate billed.
    public var hourlyRate: PGNumeric?
    /// The currency of budget and rate (ISO 4217).
    public var currency: String
    /// Whether time on it is billed.
    public var isBillable: Bool
    /// Percent complete, 0 to 100.
    public var progress: PGNumeric
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Project: StoredRecord {
    static let relation = "projects"
    static let columns = """
        id, organization_id, user_id, client_id, name, description, status, priority,
        start_date, due_date, completed_at, budget, hourly_rate, currency, is_billable,
        progress, created_at, updated_at
        """
}
