public import FoundationEssentials

/// A tenant: every other row belongs to exactly one organization.
public struct Organization: Sendable, Hashable, Decodable {
    /// The organization's id, which is also `TenantContext.organizationID`.
    public let id: UUID
    /// The display name.
    public var name: String
    /// A unique URL-friendly name (lowercase letters, digits and dashes).
    public var slug: String?
    /// A free description.
    public var description: String?
    /// The currency new records default to (ISO 4217).
    public var defaultCurrency: String
    /// The user who owns the organization; one of its own users.
    public var ownerID: UUID?
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension Organization: StoredRecord {
    static let relation = "organizations"
    static let columns = "id, name, slug, description, default_currency, owner_id, created_at, updated_at"
}
