public import FoundationEssentials
public import PGWire

/// How soon a maintenance request needs doing.
public enum MaintenancePriority: String, StoredEnum {
    /// Each priority, as stored.
    case low, normal, high, urgent
}

/// Where a maintenance request is.
public enum MaintenanceStatus: String, StoredEnum {
    /// Each status, as stored.
    case open
    /// Someone is on it.
    case inProgress = "in_progress"
    /// Done or called off: closed, with ``MaintenanceRequest/closedAt`` set.
    case done, cancelled
}

/// A repair or service a unit needs, from report to close.
public struct MaintenanceRequest: Sendable, Hashable, Decodable {
    /// The request's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The unit it is for.
    public var unitID: UUID
    /// The user who recorded it.
    public let reportedBy: UUID
    /// What is wrong, in a line.
    public var title: String
    /// More about it.
    public var description: String?
    /// How soon it needs doing.
    public var priority: MaintenancePriority
    /// Where it is.
    public var status: MaintenanceStatus
    /// What it cost, once known.
    public var cost: PGNumeric?
    /// In which currency (ISO 4217).
    public var currency: String
    /// When it was reported.
    public var openedAt: Date
    /// When it was done or cancelled; set exactly when the status is `done` or `cancelled`.
    public var closedAt: Date?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension MaintenanceRequest: StoredRecord {
    static let relation = "maintenance_requests"
    static let columns = """
        id, organization_id, unit_id, reported_by, title, description, priority, status, cost, currency,
        opened_at, closed_at, created_at, updated_at
        """
}
