public import FoundationEssentials

/// What starts a workflow.
public enum WorkflowTriggerKind: String, StoredEnum {
    /// A schedule (its config holds the cron expression).
    case schedule
    /// An event of the back office (an invoice paid, a lease ending, …).
    case event
    /// Someone starts it by hand.
    case manual
    /// A call to its web hook.
    case webhook
}

/// Something that starts runs of a workflow.
public struct WorkflowTrigger: Sendable, Hashable, Decodable {
    /// The trigger's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The workflow it starts.
    public let definitionID: UUID
    /// What starts it.
    public var kind: WorkflowTriggerKind
    /// Its settings, as JSON text of an object (stored as `jsonb`, normalized by the server).
    public var config: String
    /// Whether it starts runs.
    public var isEnabled: Bool
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension WorkflowTrigger: StoredRecord {
    static let relation = "workflow_triggers"
    static let columns =
        "id, organization_id, definition_id, kind, config, is_enabled, created_at, updated_at"
}
