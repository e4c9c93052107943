import Foundation
import PGClient
import PGWire
import Testing

@testable import Financbase

@Suite("Access rules through the repositories")
struct AccessRulesTests {
    @Test("a member records a payment against a colleague's invoice")
    func memberPaysColleaguesInvoice() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[0]
        let member = acme.people.users[0]
        let invoiceID = try #require(
            try await AccessFixture.id(
                seeded,
                """
                SELECT id FROM financbase.invoices
                WHERE organization_id = \(acme.admin.organizationID) AND user_id <> \(member)
                  AND status IN ('sent', 'viewed', 'overdue', 'partially_paid') AND total - amount_paid >= 1
                ORDER BY id LIMIT 1
                """))
        let (payment, invoice) = try await seeded.database.withStore { store in
            try await store.withTenant(acme.context(member)) { repos in
                #expect(repos.role == .user)
                let payment = try await repos.payments.record(
                    invoiceID: invoiceID, amount: try numeric("1.00"), method: .bankTransfer,
                    idempotencyKey: "colleague-\(UUID())")
                return (payment, try await repos.invoices.get(invoiceID))
            }
        }
        #expect(payment.userID == member && payment.invoiceID == invoiceID)
        #expect(invoice.userID != member)
        #expect([InvoiceStatus.partiallyPaid, .paid].contains(invoice.status))
    }

    @Test("a viewer reads the books, and the server refuses its writes with 42501 or by changing nothing")
    func viewerWritesNothing() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[0]
        try await seeded.database.withStore { store in
            let viewer = acme.context(acme.people.viewer)
            let (role, clients, touched) = try await store.withTenant(viewer) { repos in
                (
                    repos.role, try await repos.clients.list(limit: 100).rows,
                    try await repos.session.execute(
                        "viewer.update", "UPDATE financbase.invoices SET notes = 'viewer was here'"
                    ).rowCount
                )
            }
            // A refused statement ends its unit: the INSERT gets a unit of its own.
            let error = await #expect(throws: PGError.self) {
                try await store.withTenant(viewer) { repos in
                    try await repos.clients.create(name: "Forged", email: "forged@example.test")
                }
            }
            #expect(role == .viewer)
            #expect(!clients.isEmpty)
            #expect(error?.sqlState == .insufficientPrivilege, "\(String(describing: error))")
            #expect(touched == 0)
        }
    }

    @Test("a user's own expense cannot be handed to a colleague (42501), and a colleague's is out of reach")
    func ownerRuleOnExpenses() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[0]
        let (member, colleague) = (acme.people.users[0], acme.people.users[1])
        try await seeded.database.withStore { store in
            let colleagues = try await store.withTenant(acme.context(colleague)) { repos in
                try await repos.expenses.create(
                    description: "Colleague's taxi", amount: try numeric("12.00"), currency: "USD",
                    expenseDate: try date(2025, 6, 1), category: "travel")
            }
            let error = await #expect(throws: PGError.self) {
                try await store.withTenant(acme.context(member)) { repos in
                    let own = try await repos.expenses.create(
                        description: "Own taxi", amount: try numeric("9.00"), currency: "USD",
                        expenseDate: try date(2025, 6, 1), category: "travel")
                    try await repos.session.execute(
                        "expense.give",
                        "UPDATE financbase.expenses SET user_id = \(colleague) WHERE id = \(own.id)")
                }
            }
            #expect(error?.sqlState == .insufficientPrivilege, "\(String(describing: error))")
            let missing = await #expect(throws: RepositoryError.self) {
                try await store.withTenant(acme.context(member)) { repos in
                    var expense = try await repos.expenses.get(colleagues.id)
                    expense.description = "Changed by a colleague"
                    return try await repos.expenses.update(expense)
                }
            }
            #expect(missing == .notFound(entity: "expenses", id: colleagues.id))
        }
    }

    @Test("a contractor sees its tasks, their projects and its own time, nothing of the books, and logs time only there")
    func contractorScope() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[0]
        let contractor = acme.people.contractor
        let otherProject = try #require(
            try await AccessFixture.id(
                seeded,
                """
                SELECT p.id FROM financbase.projects p
                WHERE p.organization_id = \(acme.admin.organizationID) AND NOT EXISTS (SELECT FROM financbase.tasks t
                    WHERE t.project_id = p.id AND t.assignee_id = \(contractor))
                ORDER BY p.id LIMIT 1
                """))
        try await seeded.database.withStore { store in
            let seen = try await store.withTenant(acme.context(contractor)) { repos in
                #expect(repos.role == .contractor)
                let tasks = try await repos.tasks.list(limit: 1_000).rows
                let projects = try await repos.projects.list(limit: 1_000).rows
                let time = try await repos.timeEntries.list(limit: 1_000).rows
                let users = try await repos.users.list(limit: 1_000).rows
                let books = (
                    try await repos.invoices.list(limit: 10).rows.count
                        + repos.clients.list(limit: 10).rows.count
                        + repos.transactions.list(limit: 10).rows.count
                        + repos.expenses.list(limit: 10).rows.count
                        + repos.payments.list(limit: 10).rows.count
                        + repos.accounts.list(limit: 10).rows.count
                )
                let project = try #require(projects.first)
                let logged = try await repos.timeEntries.create(
                    projectID: project.id, description: "Contracted work", startedAt: Date())
                return (tasks, projects, time, users, books, logged)
            }
            let (tasks, projects, time, users, books, logged) = seen
            #expect(!tasks.isEmpty && tasks.allSatisfy { $0.assigneeID == contractor })
            #expect(Set(projects.map(\.id)) == Set(tasks.map(\.projectID)))
            #expect(!time.isEmpty && time.allSatisfy { $0.userID == contractor })
            #expect(users.map(\.id) == [contractor])
            #expect(books == 0)
            #expect(logged.userID == contractor)
            let refused = await #expect(throws: PGError.self) {
                try await store.withTenant(acme.context(contractor)) { repos in
                    try await repos.timeEntries.create(
                        projectID: otherProject, description: "Not my project", startedAt: Date())
                }
            }
            #expect(refused?.sqlState == .insufficientPrivilege, "\(String(describing: refused))")
        }
    }

    @Test("a deactivated user reads nothing and writes nothing, not even its own preferences")
    func inactiveUserDoesNothing() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[0]
        try await seeded.database.withStore { store in
            let (role, seen, touched) = try await store.withTenant(acme.context(acme.people.inactive)) { repos in
                let seen =
                    try await repos.invoices.list(limit: 10).rows.count
                    + repos.users.list(limit: 10).rows.count
                let touched = try await repos.session.execute(
                    "inactive.preferences", "UPDATE financbase.user_preferences SET theme = 'dark'")
                return (repos.role, seen, touched.rowCount)
            }
            #expect(role == nil && seen == 0 && touched == 0)
            let error = await #expect(throws: PGError.self) {
                try await store.withTenant(acme.context(acme.people.inactive)) { repos in
                    try await repos.clients.create(name: "Ghost", email: "ghost@example.test")
                }
            }
            #expect(error?.sqlState == .insufficientPrivilege, "\(String(describing: error))")
        }
    }

    @Test("a new user id in an existing organization cannot make itself its admin")
    func noSelfPromotion() async throws {
        let seeded = try await AccessFixture.shared
        let acme = seeded.organizations[0]
        let stranger = TenantContext(userID: UUID(), organizationID: acme.admin.organizationID)
        try await seeded.database.withStore { store in
            let error = await #expect(throws: PGError.self) {
                try await store.withTenant(stranger) { repos in
                    try await repos.users.create(
                        id: stranger.userID, clerkID: "clerk_\(stranger.userID)", email: "mallory@example.test",
                        role: .admin)
                }
            }
            #expect(error?.sqlState == .insufficientPrivilege, "\(String(describing: error))")
        }
    }
}
