public import FoundationEssentials
public import PGWire
import PGClient

/// The projects of the current organization.
public struct ProjectRepository: Sendable {
    let session: TenantSession

    /// Creates a project, recorded as created by the context's user.
    ///
    /// - Throws: `PGError` for a client of another organization or a due date before the start.
    public func create(
        name: String, clientID: UUID? = nil, status: ProjectStatus = .planning, priority: Priority = .medium,
        startDate: PGDate? = nil, dueDate: PGDate? = nil, budget: PGNumeric? = nil, hourlyRate: PGNumeric? = nil,
        currency: String = "USD"
    ) async throws -> Project {
        let context = session.context
        return try await session.record(
            Project.self, "projects.create", entity: "projects", id: context.organizationID,
            """
            INSERT INTO financbase.projects
                (organization_id, user_id, client_id, name, status, priority, start_date, due_date, budget,
                 hourly_rate, currency)
            VALUES (\(context.organizationID), \(context.userID), \(clientID), \(name), \(status), \(priority),
                    \(startDate), \(dueDate), \(budget), \(hourlyRate), \(currency))
            RETURNING \(columnsOf: Project.self)
            """)
    }

    /// The project with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Project {
        try await session.fetch(Project.self, "projects.get", id: id)
    }

    /// Saves the changeable fields of `project`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func update(_ project: Project) async throws -> Project {
        try await session.record(
            Project.self, "projects.update", entity: "projects", id: project.id,
            """
            UPDATE financbase.projects
            SET client_id = \(project.clientID), name = \(project.name), description = \(project.description),
                status = \(project.status), priority = \(project.priority), start_date = \(project.startDate),
                due_date = \(project.dueDate), completed_at = \(project.completedAt), budget = \(project.budget),
                hourly_rate = \(project.hourlyRate), currency = \(project.currency),
                is_billable = \(project.isBillable), progress = \(project.progress)
            WHERE id = \(project.id) RETURNING \(columnsOf: Project.self)
            """)
    }

    /// Deletes the project with `id` and its tasks.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` while time entries or
    ///   expenses reference it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("projects.delete", table: "projects", id: id)
    }

    /// A page of projects, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Project> {
        try await session.page(Project.self, "projects.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The projects of the current organization.
    public var projects: ProjectRepository { ProjectRepository(session: session) }
}
