public import FoundationEssentials
import PGClient
import PGWire

/// The steps of the current organization's workflows; whoever may write a workflow (an admin)
/// writes its steps.
public struct WorkflowStepRepository: Sendable {
    let session: TenantSession

    /// Adds a step at `position` of the workflow `definitionID`, with `config`, JSON text of an
    /// object (`{"url": "https://…"}`), stored as `jsonb`.
    ///
    /// - Throws: `PGError` with SQLSTATE 22P02 for `config` that is not JSON; 23514 for JSON that
    ///   is not an object, an empty name or a negative position; 23505 for a position the
    ///   workflow already has; 23503 for a workflow of another organization (or none); 42501
    ///   for a context that may not write the workflow.
    public func create(
        definitionID: UUID, position: Int32, name: String, kind: WorkflowStepKind,
        config: String = "{}"
    ) async throws -> WorkflowStep {
        let context = session.context
        return try await session.record(
            WorkflowStep.self, "workflowSteps.create", entity: "workflow_definitions",
            id: definitionID,
            """
            INSERT INTO financbase.workflow_steps (organization_id, definition_id, position, name, kind, config)
            VALUES (\(context.organizationID), \(definitionID), \(position), \(name), \(kind), \(PGJSON(config)))
            RETURNING \(columnsOf: WorkflowStep.self)
            """)
    }

    /// The step with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> WorkflowStep {
        try await session.fetch(WorkflowStep.self, "workflowSteps.get", id: id)
    }

    /// The steps of the workflow `definitionID`, in order (none for an unknown workflow).
    public func steps(of definitionID: UUID) async throws -> [WorkflowStep] {
        try await session.records(
            WorkflowStep.self, "workflowSteps.ofDefinition",
            """
            SELECT \(columnsOf: WorkflowStep.self) FROM financbase.workflow_steps
            WHERE definition_id = \(definitionID) ORDER BY position
            """)
    }

    /// Saves the position, name, kind and config of `step`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` as
    ///   ``create(definitionID:position:name:kind:config:)``.
    public func update(_ step: WorkflowStep) async throws -> WorkflowStep {
        try await session.record(
            WorkflowStep.self, "workflowSteps.update", entity: "workflow_steps", id: step.id,
            """
            UPDATE financbase.workflow_steps
            SET position = \(step.position), name = \(step.name), kind = \(step.kind), config = \(PGJSON(step.config))
            WHERE id = \(step.id) RETURNING \(columnsOf: WorkflowStep.self)
            """)
    }

    /// Deletes the step with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (23503) once runs ran it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("workflowSteps.delete", table: "workflow_steps", id: id)
    }

    /// A page of steps in the order they were added.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<
        WorkflowStep
    > {
        try await session.page(WorkflowStep.self, "workflowSteps.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The steps of the current organization's workflows.
    public var workflowSteps: WorkflowStepRepository { WorkflowStepRepository(session: session) }
}
