import Financbase
import Foundation
import PGClient
import PGWire
import Testing

/// Plugins (a global catalogue and per-organization installations), notifications (each user's
/// own inbox) and the activity log (append-only, each entry by the user it names).
@Suite("Repositories: plugins, notifications, activity log")
struct WorkspaceRepositoryTests {
    /// A tenant with its admin and one more user of `role`.
    static func tenantWithColleague(_ store: FinancbaseStore, role: UserRole = .user) async throws -> (
        TenantFixture, TenantContext
    ) {
        let tenant = try await TenantFixture.make(in: store)
        let colleague = try await store.withTenant(tenant.context) { repos in
            try await repos.users.create(clerkID: "clerk_\(UUID())", email: "colleague@acme.test", role: role).id
        }
        return (tenant, TenantContext(userID: colleague, organizationID: tenant.context.organizationID))
    }

    @Test("the catalogue is shared and read-only; an admin installs, configures, upgrades and uninstalls")
    func plugins() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let (tenant, colleague) = try await Self.tenantWithColleague(store)
            let installation = try await store.withTenant(tenant.context) { repos in
                let catalogue = try await repos.plugins.catalogue()
                #expect(catalogue.count == 8)
                #expect(try await repos.plugins.catalogue(category: .accounting).map(\.slug) == ["quickbooks-export", "receipt-ocr"])
                let stripe = try await repos.plugins.plugin(slug: "stripe-sync")
                await #expect(throws: RepositoryError.self) { try await repos.plugins.plugin(slug: "no-such-plugin") }
                let installation = try await repos.plugins.install(stripe.id)
                #expect(installation.installedVersion == stripe.version)
                #expect(installation.userID == tenant.context.userID && installation.status == .active)
                _ = try await repos.plugins.setSetting("sync.interval_minutes", to: PGJSON("15"), of: installation.id)
                let replaced = try await repos.plugins.setSetting("sync.interval_minutes", to: PGJSON("30"), of: installation.id)
                _ = try await repos.plugins.setSetting("notify.channel", to: PGJSON("\"finance\""), of: installation.id)
                #expect(replaced.value == PGJSON("30"))
                #expect(try await repos.plugins.settings(of: installation.id).map(\.key) == ["notify.channel", "sync.interval_minutes"])
                #expect(try await repos.plugins.setStatus(installation.id, .disabled).status == .disabled)
                let installed = try await repos.plugins.installed()
                #expect(installed.count == 1 && installed[0].settings == 2 && !installed[0].updateAvailable)
                #expect(try await repos.plugins.list().rows.map(\.id) == [installation.id])
                return installation
            }
            // Installed twice: the unique key refuses it.
            await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    _ = try await repos.plugins.install(installation.pluginID)
                }
            }
            // A user reads the installations but changes none of them, nor their settings.
            try await store.withTenant(colleague) { repos async throws in
                #expect(try await repos.plugins.installed().count == 1)
                await #expect(throws: RepositoryError.notFound(entity: "plugin_installations", id: installation.id)) {
                    try await repos.plugins.setStatus(installation.id, .active)
                }
            }
            for attempt in ["install", "setting"] {
                let error = await #expect(throws: PGError.self) {
                    try await store.withTenant(colleague) { repos in
                        if attempt == "install" {
                            _ = try await repos.plugins.install(try await repos.plugins.plugin(slug: "slack-alerts").id)
                        } else {
                            _ = try await repos.plugins.setSetting("sync.interval_minutes", to: PGJSON("1"), of: installation.id)
                        }
                    }
                }
                #expect(error?.sqlState == .insufficientPrivilege, "\(attempt)")
            }
            // A newer catalogue version shows as an update; upgrading takes it.
            try await database.withAdminConnection { connection in
                try await connection.execute("UPDATE financbase.plugins SET version = '9.0.0' WHERE slug = 'stripe-sync'")
            }
            try await store.withTenant(tenant.context) { repos async throws in
                #expect(try await repos.plugins.installed()[0].updateAvailable)
                #expect(try await repos.plugins.upgrade(installation.id).installedVersion == "9.0.0")
                #expect(try await !repos.plugins.installed()[0].updateAvailable)
                try await repos.plugins.removeSetting("notify.channel", of: installation.id)
                await #expect(throws: RepositoryError.self) {
                    try await repos.plugins.removeSetting("notify.channel", of: installation.id)
                }
            }
            try await store.withTenant(tenant.context) { repos in
                try await repos.plugins.uninstall(installation.id)
                #expect(try await repos.plugins.settings(of: installation.id).isEmpty)
                #expect(try await repos.plugins.installed().isEmpty)
            }
        }
    }

    @Test("each user's inbox is its own: delivered, counted, read, deleted; nobody else sees it")
    func notifications() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let (tenant, colleague) = try await Self.tenantWithColleague(store)
            let ids = try await store.withTenant(colleague) { repos in
                var ids: [UUID] = []
                for title in ["First", "Second", "Third"] {
                    ids.append(try await repos.notifications.create(title: title, kind: .warning).id)
                }
                #expect(try await repos.notifications.unreadCount() == 3)
                let read = try await repos.notifications.markRead(ids[0])
                #expect(read.readAt != nil)
                #expect(try await repos.notifications.markRead(ids[0]).readAt == read.readAt)
                #expect(try await repos.notifications.inbox().map(\.title) == ["Third", "Second", "First"])
                #expect(try await repos.notifications.inbox(unreadOnly: true).map(\.title) == ["Third", "Second"])
                #expect(try await repos.notifications.list(limit: 2).next != nil)
                return ids
            }
            // The admin sees none of it and changes none of it.
            try await store.withTenant(tenant.context) { repos async throws in
                #expect(try await repos.notifications.unreadCount() == 0)
                #expect(try await repos.notifications.inbox().isEmpty)
                await #expect(throws: RepositoryError.notFound(entity: "notifications", id: ids[1])) {
                    try await repos.notifications.markRead(ids[1])
                }
                await #expect(throws: RepositoryError.notFound(entity: "notifications", id: ids[1])) {
                    try await repos.notifications.delete(ids[1])
                }
                _ = try await repos.notifications.create(title: "Mine")
            }
            try await store.withTenant(colleague) { repos in
                #expect(try await repos.notifications.markAllRead() == 2)
                #expect(try await repos.notifications.unreadCount() == 0)
                try await repos.notifications.delete(ids[1])
                #expect(try await repos.notifications.inbox().count == 2)
            }
            let empty = await #expect(throws: PGError.self) {
                try await store.withTenant(colleague) { repos in _ = try await repos.notifications.create(title: " ") }
            }
            #expect(empty?.sqlState == .checkViolation)
        }
    }

    @Test("the activity log: recorded by the user it names, read by all, counted; never changed or removed")
    func activity() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let (tenant, colleague) = try await Self.tenantWithColleague(store)
            let invoice = UUID()
            let start = Date()
            let first = try await store.withTenant(tenant.context) { repos in
                let first = try await repos.activity.record(
                    "invoice.created", entityType: "invoice", entityID: invoice, details: PGJSON(#"{"total": "100.00"}"#))
                _ = try await repos.activity.record("invoice.sent", entityType: "invoice", entityID: invoice)
                return first
            }
            try await store.withTenant(colleague) { repos in
                _ = try await repos.activity.record("invoice.sent", entityType: "invoice", entityID: invoice)
                _ = try await repos.activity.record("report.viewed", entityType: "report")
                #expect(try await repos.activity.get(first.id) == first)
                #expect(try await repos.activity.history(of: "invoice", id: invoice).map(\.action)
                    == ["invoice.created", "invoice.sent", "invoice.sent"])
                let counts = try await repos.activity.countsByAction(from: start.addingTimeInterval(-60), to: Date().addingTimeInterval(60))
                #expect(counts.map(\.action) == ["invoice.sent", "invoice.created", "report.viewed"])
                #expect(counts.map(\.count) == [2, 1, 1])
                #expect(counts.map(\.users) == [2, 1, 1])
                #expect(try await repos.activity.list().rows.count == 4)
            }
            let malformed = await #expect(throws: PGError.self) {
                try await store.withTenant(colleague) { repos in
                    _ = try await repos.activity.record("sent an invoice", entityType: "invoice")
                }
            }
            #expect(malformed?.sqlState == .checkViolation)
            // Not even an administrator changes, removes or forges an entry: the server refuses.
            for statement: PGQuery in [
                "UPDATE financbase.activity_log SET action = 'invoice.voided'",
                "DELETE FROM financbase.activity_log",
                """
                INSERT INTO financbase.activity_log (organization_id, user_id, action, entity_type)
                VALUES (\(tenant.context.organizationID), \(colleague.userID), 'invoice.paid', 'invoice')
                """,
            ] {
                let refused = await #expect(throws: PGError.self) {
                    try await database.withAppConnection { connection in
                        try await connection.withTransaction { connection in
                            _ = try await connection.query(
                                """
                                SELECT set_config('app.current_org_id', \(tenant.context.organizationID.uuidString), true),
                                       set_config('app.current_user_id', \(tenant.context.userID.uuidString), true)
                                """
                            ).collect()
                            try await connection.execute(statement)
                        }
                    }
                }
                #expect(refused?.sqlState == .insufficientPrivilege, "\(statement.sql)")
            }
            let kept = try await database.withAdminConnection { connection in
                try await connection.query("SELECT count(*) FROM financbase.activity_log WHERE action <> 'invoice.voided'")
                    .collect()[0].decode(Int64.self, at: 0)
            }
            #expect(kept == 4)
        }
    }
}
