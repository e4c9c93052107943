import Financbase
import Foundation
import PGWire

/// The workspace part of one tenant's dashboard, read in one unit of work of its admin: the
/// installed plugins, the admin's inbox, and what the organization did in the last 30 days.
struct WorkspaceDashboard {
    let plugins: [InstalledPlugin]
    let unread: Int64
    let inbox: [UserNotification]
    let activity: [ActivityCount]

    /// Reads `context`'s workspace as of `today`.
    static func load(_ context: TenantContext, store: FinancbaseStore, today: PGDate) async throws
        -> WorkspaceDashboard
    {
        let end = TenantDashboard.instant(PGDate(daysSince2000: today.daysSince2000 + 1))
        return try await store.withTenant(context) { repos in
            WorkspaceDashboard(
                plugins: try await repos.plugins.installed(),
                unread: try await repos.notifications.unreadCount(),
                inbox: try await repos.notifications.inbox(limit: 3),
                activity: try await repos.activity.countsByAction(
                    from: end.addingTimeInterval(-31 * 86_400), to: end))
        }
    }

    func print() {
        Output.section("Installed plugins (catalogue shared by every organization)")
        var plugins = TextTable([
            ("plugin", .left), ("category", .left), ("status", .left), ("version", .left), ("per month", .right),
        ])
        for plugin in self.plugins {
            plugins.add([
                plugin.name, plugin.category.rawValue, plugin.status.rawValue,
                plugin.installedVersion + (plugin.updateAvailable ? " → \(plugin.latestVersion)" : ""),
                MoneyText.format(plugin.monthlyPrice, currency: plugin.currency),
            ])
        }
        Output.line(plugins.render())

        Output.section("The admin's inbox: \(unread) unread, newest first")
        var inbox = TextTable([("kind", .left), ("title", .left), ("read", .left)])
        for notification in self.inbox {
            inbox.add([notification.kind.rawValue, notification.title, notification.readAt == nil ? "no" : "yes"])
        }
        Output.line(inbox.render())

        Output.section("Activity of the last 30 days (append-only log), by action")
        var activity = TextTable([("action", .left), ("count", .right), ("users", .right)])
        for count in self.activity {
            activity.add([count.action, String(count.count), String(count.users)])
        }
        Output.line(activity.render())
    }
}
