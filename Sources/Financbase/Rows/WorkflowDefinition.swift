public import FoundationEssentials

/// An automation of the organization: steps run in order when one of its triggers fires.
public struct WorkflowDefinition: Sendable, Hashable, Decodable {
    /// The definition's id.
    public let id: UUID
    /// The owning organization.
    public let organizationID: UUID
    /// Its name, unique in the organization.
    public var name: String
    /// What it does.
    public var description: String?
    /// Whether its triggers start runs.
    public var isActive: Bool
    /// Raised by whoever changes its steps, so a run can be read against what it ran (from 1).
    public var version: Int32
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension WorkflowDefinition: StoredRecord {
    static let relation = "workflow_definitions"
    static let columns =
        "id, organization_id, name, description, is_active, version, created_at, updated_at"
}
