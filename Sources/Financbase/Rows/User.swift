public import FoundationEssentials

/// What a user may do in their organization.
public enum UserRole: String, StoredEnum {
    /// Everything, including managing users.
    case admin
    /// Reads and writes the organization's records.
    case user
    /// Reads only.
    case viewer
}

/// A person who signs in (through Clerk) and works in one organization.
public struct User: Sendable, Hashable, Decodable {
    /// The user's id, used as `TenantContext.userID`.
    public let id: UUID
    /// The organization the user belongs to.
    public let organizationID: UUID
    /// The identity provider's id for this user; unique across organizations.
    public let clerkID: String
    /// The e-mail address, unique (ignoring case) in the organization.
    public var email: String
    /// Given name.
    public var firstName: String?
    /// Family name.
    public var lastName: String?
    /// What the user may do.
    public var role: UserRole
    /// Whether the user may sign in.
    public var isActive: Bool
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}
