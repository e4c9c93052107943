public import FoundationEssentials
public import PGWire
import PGClient

/// The tasks of the current organization's projects.
public struct TaskRepository: Sendable {
    let session: TenantSession

    /// Creates a task in `projectID`, recorded as created by the context's user.
    ///
    /// - Throws: `PGError` for a project, parent task or assignee of another organization.
    public func create(
        projectID: UUID, title: String, parentTaskID: UUID? = nil, assigneeID: UUID? = nil,
        status: TaskStatus = .pending, priority: Priority = .medium, dueDate: PGDate? = nil,
        estimatedHours: PGNumeric? = nil
    ) async throws -> ProjectTask {
        let context = session.context
        return try await session.record(
            ProjectTask.self, "tasks.create", entity: "projects", id: projectID,
            """
            INSERT INTO financbase.tasks
                (organization_id, user_id, project_id, parent_task_id, assignee_id, title, status, priority,
                 due_date, estimated_hours)
            VALUES (\(context.organizationID), \(context.userID), \(projectID), \(parentTaskID), \(assigneeID),
                    \(title), \(status), \(priority), \(dueDate), \(estimatedHours))
            RETURNING \(columnsOf: ProjectTask.self)
            """)
    }

    /// The task with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> ProjectTask {
        try await session.fetch(ProjectTask.self, "tasks.get", id: id)
    }

    /// The tasks of the project with `projectID`, oldest first.
    public func forProject(_ projectID: UUID) async throws -> [ProjectTask] {
        try await session.records(
            ProjectTask.self, "tasks.forProject",
            "SELECT \(columnsOf: ProjectTask.self) FROM financbase.tasks WHERE project_id = \(projectID) ORDER BY created_at, id")
    }

    /// Saves the changeable fields of `task`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func update(_ task: ProjectTask) async throws -> ProjectTask {
        try await session.record(
            ProjectTask.self, "tasks.update", entity: "tasks", id: task.id,
            """
            UPDATE financbase.tasks
            SET project_id = \(task.projectID), parent_task_id = \(task.parentTaskID),
                assignee_id = \(task.assigneeID), title = \(task.title), description = \(task.description),
                status = \(task.status), priority = \(task.priority), due_date = \(task.dueDate),
                completed_at = \(task.completedAt), estimated_hours = \(task.estimatedHours),
                actual_hours = \(task.actualHours), progress = \(task.progress)
            WHERE id = \(task.id) RETURNING \(columnsOf: ProjectTask.self)
            """)
    }

    /// Deletes the task with `id` and its subtasks.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("tasks.delete", table: "tasks", id: id)
    }

    /// A page of tasks, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<ProjectTask> {
        try await session.page(ProjectTask.self, "tasks.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The tasks of the current organization's projects.
    public var tasks: TaskRepository { TaskRepository(session: session) }
}
