public import FoundationEssentials

/// What a workflow step does.
public enum WorkflowStepKind: String, StoredEnum {
    /// Calls a URL.
    case http
    /// Sends an e-mail.
    case email
    /// Goes on only when its condition holds.
    case condition
    /// Waits.
    case delay
    /// Runs a script.
    case script
}

/// One step of a workflow, at its position in the definition's order.
public struct WorkflowStep: Sendable, Hashable, Decodable {
    /// The step's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// The workflow it belongs to.
    public let definitionID: UUID
    /// Its place in the order, from 0; unique in the definition.
    public var position: Int32
    /// Its name.
    public var name: String
    /// What it does.
    public var kind: WorkflowStepKind
    /// Its settings, as JSON text of an object (stored as `jsonb`, which the server normalizes:
    /// keys sorted, one space after `:` and `,`).
    public var config: String
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension WorkflowStep: StoredRecord {
    static let relation = "workflow_steps"
    static let columns =
        "id, organization_id, definition_id, position, name, kind, config, created_at, updated_at"
}
