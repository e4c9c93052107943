import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// Plugins installed from the catalogue by the administrator, with settings; a few
    /// notifications in every person's inbox (each delivered in a unit of its recipient); and
    /// the activity log of what the administrator and the users did.
    mutating func seedWorkspace() async throws {
        try await seedPlugins()
        try await seedNotifications()
        try await seedActivity()
    }

    private mutating func seedPlugins() async throws {
        let wanted = ["stripe-sync", "quickbooks-export", "slack-alerts"].prefix(2 + min(scale, 1))
        let interval = random.int(in: 1...4) * 15
        let (installations, settings) = try await store.withTenant(admin) { repos in
            var settings = 0
            for slug in wanted {
                let plugin = try await repos.plugins.plugin(slug: slug)
                let installation = try await repos.plugins.install(plugin.id)
                _ = try await repos.plugins.setSetting(
                    "sync.interval_minutes", to: PGJSON("\(interval)"), of: installation.id)
                _ = try await repos.plugins.setSetting(
                    "notify.on_failure", to: PGJSON("true"), of: installation.id)
                settings += 2
            }
            return (wanted.count, settings)
        }
        report("plugin_installations", installations)
        report("plugin_settings", settings)
    }

    private mutating func seedNotifications() async throws {
        var delivered = 0
        for (index, userID) in userIDs.enumerated() {
            let count = 2 + random.int(in: 0...(1 + scale))
            let read = random.int(in: 0...count)
            let context = TenantContext(userID: userID, organizationID: admin.organizationID)
            let messages = (0..<count).map { number in
                Self.notificationMessages[(index + number) % Self.notificationMessages.count]
            }
            try await store.withTenant(context) { repos in
                for (number, message) in messages.enumerated() {
                    let notification = try await repos.notifications.create(
                        title: message.title, body: message.body, kind: message.kind, link: message.link)
                    if number < read { _ = try await repos.notifications.markRead(notification.id) }
                }
            }
            delivered += count
        }
        report("notifications", delivered)
    }

    private mutating func seedActivity() async throws {
        let people = SeedPeople(ids: userIDs)
        let actors = [people.admin] + people.users
        var plans: [(actor: UUID, action: String, entity: String, id: UUID?)] = []
        for project in projects {
            plans.append((random.element(of: actors), "project.created", "project", project.id))
        }
        for client in clients {
            plans.append((random.element(of: actors), "client.created", "client", client.id))
        }
        for _ in 0..<(6 * scale) {
            plans.append((random.element(of: actors), "report.viewed", "report", nil))
        }
        let organizationID = admin.organizationID
        for actor in actors {
            let mine = plans.filter { $0.actor == actor }
            guard !mine.isEmpty else { continue }
            try await store.withTenant(TenantContext(userID: actor, organizationID: organizationID)) { repos in
                for plan in mine {
                    _ = try await repos.activity.record(plan.action, entityType: plan.entity, entityID: plan.id)
                }
            }
        }
        report("activity_log", plans.count)
    }

    static let notificationMessages: [(title: String, body: String, kind: NotificationKind, link: String?)] = [
        ("Invoice paid", "A client paid an invoice in full.", .success, "/invoices"),
        ("Invoice overdue", "An invoice is past its due date.", .warning, "/invoices?status=overdue"),
        ("Expense to approve", "An expense is waiting for approval.", .actionRequired, "/expenses?status=pending"),
        ("Weekly digest", "Your week in numbers is ready.", .info, "/dashboard"),
        ("New plugin version", "An installed plugin has an update.", .info, "/plugins"),
    ]
}
