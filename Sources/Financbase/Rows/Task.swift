public import FoundationEssentials
public import PGWire

/// Where a task is.
public enum TaskStatus: String, StoredEnum {
    /// Each status, as stored.
    case pending, inProgress = "in_progress", completed, cancelled, overdue
}

/// A piece of work in a project, possibly under a parent task.
public struct ProjectTask: Sendable, Hashable, Decodable {
    /// The task's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The user who created it.
    public let userID: UUID
    /// The project it belongs to.
    public var projectID: UUID
    /// The task it is a step of.
    public var parentTaskID: UUID?
    /// Who does it.
    public var assigneeID: UUID?
    /// The title.
    public var title: String
    /// A free description.
    public var description: String?
    /// Where it is.
    public var status: TaskStatus
    /// How urgent it is.
    public var priority: Priority
    /// When it is due.
    public var dueDate: PGDate?
    /// When it was completed.
    public var completedAt: Date?
    /// Hours estimated.
    public var estimatedHours: PGNumeric?
    /// Hours spent.
    public var actualHours: PGNumeric
    /// Percent complete, 0 to 100.
    public var progress: PGNumeric
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension ProjectTask: StoredRecord {
    static let relation = "tasks"
    static let columns = """
        id, organization_id, user_id, project_id, parent_task_id, assignee_id, title,
        description, status, priority, due_date, completed_at, estimated_hours, actual_hours,
        progress, created_at, updated_at
        """
}
