import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// A user to create.
    struct PlannedUser {
        let id: UUID
        let firstName: String
        let lastName: String
        let email: String
        let role: UserRole
    }

    /// The organization, its admin (made its owner) and `3 + 3 × scale` more users, all with role
    /// `user` until ``seedAccessRoles()`` gives the contractor, viewer and inactive user theirs
    /// (their preferences and time are seeded first, as written before their roles changed).
    mutating func seedOrganizationAndUsers() async throws {
        let domain = Self.slug(organization.name) + ".test"
        let firstOffset = random.int(in: 0...(SeedCatalog.firstNames.count - 1))
        let lastOffset = random.int(in: 0...(SeedCatalog.lastNames.count - 1))
        var users: [PlannedUser] = []
        for index in 0..<SeedPeople.count(scale: scale) {
            let first = SeedCatalog.firstNames[(firstOffset + index) % SeedCatalog.firstNames.count]
            let last = SeedCatalog.lastNames[(lastOffset + index) % SeedCatalog.lastNames.count]
            // The first names' cycle keeps e-mails apart until it wraps; then the index does.
            let suffix = index >= SeedCatalog.firstNames.count ? "\(index)" : ""
            let role: UserRole = index == 0 ? .admin : .user
            users.append(
                PlannedUser(
                    id: index == 0 ? admin.userID : UUID(), firstName: first, lastName: last,
                    email: "\(first).\(last)\(suffix)@\(domain)".lowercased(), role: role))
        }
        let organization = self.organization
        let slug =
            Self.slug(organization.name) + "-"
            + admin.organizationID.uuidString.prefix(8).lowercased()
        try await store.withTenant(admin) { repos in
            var created = try await repos.organizations.createCurrent(
                name: organization.name, slug: slug, defaultCurrency: organization.currency)
            for user in users {
                _ = try await repos.users.create(
                    id: user.id, clerkID: "user_" + user.id.uuidString.lowercased(),
                    email: user.email,
                    firstName: user.firstName, lastName: user.lastName, role: user.role)
            }
            created.ownerID = users.first?.id
            created.description = "Seeded demo organization"
            _ = try await repos.organizations.update(created)
        }
        userIDs = users.map(\.id)
        report("organizations", 1)
        report("users", users.count)
    }

    /// Each user's own preferences, in a unit of work acting as that user: the table's policy
    /// lets nobody else write them.
    mutating func seedPreferences() async throws {
        let themes: [Theme] = [.light, .dark, .system]
        let timezone = organization.currency == "EUR" ? "Europe/Berlin" : "America/New_York"
        let locale = organization.currency == "EUR" ? "de-DE" : "en-US"
        for userID in userIDs {
            let theme = random.element(of: themes)
            let digest = random.chance(70)
            let context = TenantContext(userID: userID, organizationID: admin.organizationID)
            let currency = self.currency
            try await store.withTenant(context) { repos in
                _ = try await repos.userPreferences.create(
                    theme: theme, locale: locale, timezone: timezone, currency: currency,
                    weeklyDigest: digest)
            }
        }
        report("user_preferences", userIDs.count)
    }

    /// Freelancer profiles for a third of the users (at least one).
    mutating func seedFreelancers() async throws {
        let profiled = Array(userIDs.dropFirst().prefix(max(1, scale)))
        var plans: [(title: String, skills: [String], rateCents: Int64, ratingCents: Int64)] = []
        for _ in profiled {
            let skills = [
                random.element(of: SeedCatalog.skills), random.element(of: SeedCatalog.skills),
            ]
            plans.append(
                (
                    random.element(of: SeedCatalog.jobTitles), Array(Set(skills)).sorted(),
                    Int64(random.int(in: 60...150)) * 100, Int64(random.int(in: 380...500))
                ))
        }
        let currency = self.currency
        try await store.withTenant(admin) { repos in
            for (userID, plan) in zip(profiled, plans) {
                let user = try await repos.users.get(userID)
                _ = try await repos.freelancers.create(
                    userID: userID, displayName: "\(user.firstName ?? "") \(user.lastName ?? "")",
                    title: plan.title, skills: plan.skills, hourlyRate: Self.money(plan.rateCents),
                    currency: currency, rating: Self.money(plan.ratingCents))
            }
        }
        report("freelancers", profiled.count)
    }

    /// The last step, as the admin: the contractor, the viewer and the deactivated user get their
    /// roles, so the organization shows every access rule.
    mutating func seedAccessRoles() async throws {
        let people = SeedPeople(ids: userIDs)
        try await store.withTenant(admin) { repos in
            for (id, role, active) in [
                (people.contractor, UserRole.contractor, true), (people.viewer, .viewer, true),
                (people.inactive, .user, false),
            ] {
                var user = try await repos.users.get(id)
                user.role = role
                user.isActive = active
                _ = try await repos.users.update(user)
            }
        }
    }

    /// `Northwind Studio` → `northwind-studio`.
    static func slug(_ name: String) -> String {
        let words = name.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return words.joined(separator: "-")
    }
}
