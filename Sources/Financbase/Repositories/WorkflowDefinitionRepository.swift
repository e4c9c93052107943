public import FoundationEssentials
import PGClient

/// The workflows of the current organization. Only admins write them (a workflow acts for the
/// organization, unattended); every member reads them.
public struct WorkflowDefinitionRepository: Sendable {
    let session: TenantSession

    /// Defines a workflow; its steps and triggers are added next.
    ///
    /// - Throws: `PGError` with SQLSTATE 42501 for a context that is not an admin; 23505 for a
    ///   name the organization already uses; 23514 for an empty name or a version below 1.
    public func create(
        name: String, description: String? = nil, isActive: Bool = true, version: Int32 = 1
    )
        async throws -> WorkflowDefinition
    {
        let context = session.context
        return try await session.record(
            WorkflowDefinition.self, "workflowDefinitions.create", entity: "workflow_definitions",
            id: context.organizationID,
            """
            INSERT INTO financbase.workflow_definitions (organization_id, name, description, is_active, version)
            VALUES (\(context.organizationID), \(name), \(description), \(isActive), \(version))
            RETURNING \(columnsOf: WorkflowDefinition.self)
            """)
    }

    /// The workflow with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> WorkflowDefinition {
        try await session.fetch(WorkflowDefinition.self, "workflowDefinitions.get", id: id)
    }

    /// Saves every changeable field of `definition`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` (also for a context that may not write
    ///   it); `PGError` for a violated constraint.
    public func update(_ definition: WorkflowDefinition) async throws -> WorkflowDefinition {
        try await session.record(
            WorkflowDefinition.self, "workflowDefinitions.update", entity: "workflow_definitions",
            id: definition.id,
            """
            UPDATE financbase.workflow_definitions
            SET name = \(definition.name), description = \(definition.description),
                is_active = \(definition.isActive), version = \(definition.version)
            WHERE id = \(definition.id) RETURNING \(columnsOf: WorkflowDefinition.self)
            """)
    }

    /// Deletes the workflow with `id`, its steps and its triggers.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (23503) once it has runs.
    public func delete(_ id: UUID) async throws {
        try await session.delete(
            "workflowDefinitions.delete", table: "workflow_definitions", id: id)
    }

    /// A page of workflows in the order they were defined.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<
        WorkflowDefinition
    > {
        try await session.page(
            WorkflowDefinition.self, "workflowDefinitions.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The workflows of the current organization.
    public var workflowDefinitions: WorkflowDefinitionRepository {
        WorkflowDefinitionRepository(session: session)
    }
}
