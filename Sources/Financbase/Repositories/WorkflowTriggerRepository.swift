public import FoundationEssentials
import PGClient
import PGWire

/// The triggers of the current organization's workflows; whoever may write a workflow (an
/// admin) writes its triggers.
public struct WorkflowTriggerRepository: Sendable {
    let session: TenantSession

    /// Adds a trigger to the workflow `definitionID`, with `config`, JSON text of an object
    /// (`{"cron": "0 8 * * 1"}`), stored as `jsonb`.
    ///
    /// - Throws: `PGError` with SQLSTATE 22P02 for `config` that is not JSON; 23514 for JSON that
    ///   is not an object; 23503 for a workflow of another organization (or none); 42501 for a
    ///   context that may not write the workflow.
    public func create(
        definitionID: UUID, kind: WorkflowTriggerKind, config: String = "{}", isEnabled: Bool = true
    ) async throws -> WorkflowTrigger {
        let context = session.context
        return try await session.record(
            WorkflowTrigger.self, "workflowTriggers.create", entity: "workflow_definitions",
            id: definitionID,
            """
            INSERT INTO financbase.workflow_triggers (organization_id, definition_id, kind, config, is_enabled)
            VALUES (\(context.organizationID), \(definitionID), \(kind), \(PGJSON(config)), \(isEnabled))
            RETURNING \(columnsOf: WorkflowTrigger.self)
            """)
    }

    /// The trigger with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> WorkflowTrigger {
        try await session.fetch(WorkflowTrigger.self, "workflowTriggers.get", id: id)
    }

    /// The triggers of the workflow `definitionID`, oldest first (none for an unknown workflow).
    public func triggers(of definitionID: UUID) async throws -> [WorkflowTrigger] {
        try await session.records(
            WorkflowTrigger.self, "workflowTriggers.ofDefinition",
            """
            SELECT \(columnsOf: WorkflowTrigger.self) FROM financbase.workflow_triggers
            WHERE definition_id = \(definitionID) ORDER BY created_at, id
            """)
    }

    /// Saves the kind, config and whether `trigger` is enabled.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` as
    ///   ``create(definitionID:kind:config:isEnabled:)``.
    public func update(_ trigger: WorkflowTrigger) async throws -> WorkflowTrigger {
        try await session.record(
            WorkflowTrigger.self, "workflowTriggers.update", entity: "workflow_triggers",
            id: trigger.id,
            """
            UPDATE financbase.workflow_triggers
            SET kind = \(trigger.kind), config = \(PGJSON(trigger.config)), is_enabled = \(trigger.isEnabled)
            WHERE id = \(trigger.id) RETURNING \(columnsOf: WorkflowTrigger.self)
            """)
    }

    /// Deletes the trigger with `id`; the runs it started stay, without it.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("workflowTriggers.delete", table: "workflow_triggers", id: id)
    }

    /// A page of triggers in the order they were added.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<
        WorkflowTrigger
    > {
        try await session.page(
            WorkflowTrigger.self, "workflowTriggers.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The triggers of the current organization's workflows.
    public var workflowTriggers: WorkflowTriggerRepository {
        WorkflowTriggerRepository(session: session)
    }
}
