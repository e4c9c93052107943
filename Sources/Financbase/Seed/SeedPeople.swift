public import FoundationEssentials

/// Who plays each access role in a seeded organization, so the demo and the tests can show each
/// rule: one admin, several users, a viewer, a deactivated user and a contractor (a freelancer
/// who signs in).
///
/// ```swift
/// let acme = try await Seeder(store: store).seed(SeedOrganization.demoPair)[0]
/// let viewer = acme.people.context(acme.people.viewer, in: acme)
/// let invoices = try await store.withTenant(viewer) { repos in try await repos.invoices.list() }
/// ```
public struct SeedPeople: Sendable, Hashable {
    /// The admin, also the organization's owner.
    public var admin: UUID
    /// The users with role `user`, active.
    public var users: [UUID]
    /// A user with role `viewer`.
    public var viewer: UUID
    /// A user with role `user` who was deactivated.
    public var inactive: UUID
    /// A user with role `contractor`, linked to its freelancer profile.
    public var contractor: UUID

    /// The position of each role in the planned users (the admin is 0).
    static let contractorIndex = 1
    static let viewerIndex = 2
    static let inactiveIndex = 3
    /// How many users an organization gets at `scale` (the four above and `3 × scale` users).
    static func count(scale: Int) -> Int { 4 + 3 * scale }

    /// The roles of the users `ids`, in the order they were planned.
    init(ids: [UUID]) {
        admin = ids[0]
        contractor = ids[Self.contractorIndex]
        viewer = ids[Self.viewerIndex]
        inactive = ids[Self.inactiveIndex]
        users = Array(ids.dropFirst(Self.inactiveIndex + 1))
    }

    /// The context of `user` in `organization`.
    public func context(_ user: UUID, in organization: SeededOrganization) -> TenantContext {
        TenantContext(userID: user, organizationID: organization.admin.organizationID)
    }
}
