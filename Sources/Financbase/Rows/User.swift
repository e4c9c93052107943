public import FoundationEssentials

/// What a user may do in their organization. The server reads it from `financbase.users` for
/// every statement (`app.current_user_role()`); the policies of each table decide with it.
public enum UserRole: String, StoredEnum {
    /// Reads and writes every row of the organization, including users and its settings.
    case admin
    /// Reads the organization's rows; writes the shared books and its own personal rows.
    case user
    /// Reads the organization's rows; writes nothing.
    case viewer
    /// A freelancer signed in (its profile's `user_id` is this user): reads the tasks assigned
    /// to it, the projects of those tasks and its own time entries, profile and preferences;
    /// writes only its own time entries, on those projects.
    case contractor
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
    /// Whether the user may sign in; a deactivated user reads and writes nothing.
    public var isActive: Bool
    /// When it was created.
    public let createdAt: Date
    /// When it last changed.
    public let updatedAt: Date
}

extension User: StoredRecord {
    static let relation = "users"
    static let columns = """
        id, organization_id, clerk_id, email, first_name, last_name, role, is_active,
        created_at, updated_at
        """
}
