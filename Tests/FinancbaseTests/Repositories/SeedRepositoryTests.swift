import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Repositories: time entries, freelancers, payment methods, user preferences")
struct SeedRepositoryTests {
    @Test("time entries round-trip, list by project, page and delete")
    func timeEntries() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let start = Date(timeIntervalSince1970: 1_750_000_000)
            let projectID = try await store.withTenant(tenant.context) { repos in
                let project = try await repos.projects.create(
                    name: "Website", clientID: tenant.clientID)
                var entry = try await repos.timeEntries.create(
                    projectID: project.id, description: "Wireframes", startedAt: start,
                    endedAt: start.addingTimeInterval(5_400), durationHours: try numeric("1.50"),
                    status: .completed,
                    hourlyRate: try numeric("120.00"), amount: try numeric("180.00"))
                #expect(entry.userID == tenant.context.userID)
                #expect(entry.amount == (try numeric("180.00")))
                #expect(try await repos.timeEntries.get(entry.id) == entry)
                entry.status = .approved
                entry.description = "Wireframes, v2"
                let saved = try await repos.timeEntries.update(entry)
                #expect(saved.status == .approved)
                #expect(saved.description == "Wireframes, v2")
                _ = try await repos.timeEntries.create(
                    projectID: project.id, description: "Later",
                    startedAt: start.addingTimeInterval(86_400))
                #expect(
                    try await repos.timeEntries.forProject(project.id).map(\.description) == [
                        "Wireframes, v2", "Later",
                    ])
                let page = try await repos.timeEntries.list(limit: 1)
                #expect(page.rows.count == 1)
                #expect(page.next != nil)
                try await repos.timeEntries.delete(entry.id)
                await #expect(
                    throws: RepositoryError.notFound(entity: "time_entries", id: entry.id)
                ) {
                    try await repos.timeEntries.get(entry.id)
                }
                return project.id
            }
            // An end before the start is the database's to refuse (and the unit rolls back).
            await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.timeEntries.create(
                        projectID: projectID, description: "Backwards", startedAt: start,
                        endedAt: start.addingTimeInterval(-60))
                }
            }
        }
    }

    @Test(
        "a freelancer profile per user; payment methods settle into the tenant's own accounts only")
    func freelancersAndPaymentMethods() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let other = try await TenantFixture.make(in: store, name: "Globex")
            let otherAccount = try await store.withTenant(other.context) { repos in
                try await repos.accounts.create(name: "Globex checking", type: .checking).id
            }
            try await store.withTenant(tenant.context) { repos in
                var profile = try await repos.freelancers.create(
                    userID: tenant.context.userID, displayName: "Ada Lovelace", title: "Analyst",
                    skills: ["Swift", "PostgreSQL"], hourlyRate: try numeric("150.00"),
                    rating: try numeric("4.80"))
                #expect(profile.skills == ["Swift", "PostgreSQL"])
                profile.status = .busy
                profile.isVerified = true
                let saved = try await repos.freelancers.update(profile)
                #expect(saved.status == .busy && saved.isVerified)
                #expect(try await repos.freelancers.list().rows.map(\.id) == [profile.id])
            }
            await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.freelancers.create(
                        userID: tenant.context.userID, displayName: "Again", title: "Twice")
                }
            }
            try await store.withTenant(tenant.context) { repos in
                let account = try await repos.accounts.create(name: "Checking", type: .checking)
                var stripe = try await repos.paymentMethods.create(
                    name: "Stripe", type: .stripe, accountID: account.id,
                    processingFeeRate: try numeric("0.029"),
                    fixedFee: try numeric("0.30"), isDefault: true)
                #expect(stripe.processingFeeRate == (try numeric("0.029")))
                #expect(try await repos.paymentMethods.get(stripe.id) == stripe)
                stripe.status = .suspended
                #expect(try await repos.paymentMethods.update(stripe).status == .suspended)
                try await repos.paymentMethods.delete(stripe.id)
                #expect(try await repos.paymentMethods.list().rows.isEmpty)
            }
            // Another organization's account is out of reach, whatever id the caller sends.
            await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.paymentMethods.create(
                        name: "Stolen", type: .card, accountID: otherAccount)
                }
            }
        }
    }

    @Test(
        "preferences belong to one user: another user of the same organization neither sees nor changes them"
    )
    func userPreferences() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let colleague = try await store.withTenant(tenant.context) { repos in
                try await repos.users.create(clerkID: "clerk_\(UUID())", email: "grace@acme.test")
                    .id
            }
            let colleagueContext = TenantContext(
                userID: colleague, organizationID: tenant.context.organizationID)
            let mine = try await store.withTenant(tenant.context) { repos in
                await #expect(
                    throws: RepositoryError.notFound(
                        entity: "user_preferences", id: tenant.context.userID)
                ) {
                    try await repos.userPreferences.current()
                }
                var preferences = try await repos.userPreferences.create(
                    theme: .dark, timezone: "Europe/Paris", currency: "EUR")
                #expect(try await repos.userPreferences.current() == preferences)
                preferences.weeklyDigest = false
                let saved = try await repos.userPreferences.update(preferences)
                #expect(saved.weeklyDigest == false)
                return saved
            }
            try await store.withTenant(colleagueContext) { repos in
                await #expect(
                    throws: RepositoryError.notFound(entity: "user_preferences", id: colleague)
                ) {
                    try await repos.userPreferences.current()
                }
                var changed = mine
                changed.theme = .light
                await #expect(
                    throws: RepositoryError.notFound(
                        entity: "user_preferences", id: tenant.context.userID)
                ) {
                    try await repos.userPreferences.update(changed)
                }
                let own = try await repos.userPreferences.create()
                #expect(own.theme == .system)
            }
            let after = try await store.withTenant(tenant.context) { repos in
                try await repos.userPreferences.current()
            }
            #expect(after.theme == .dark)
        }
    }

    @Test(
        "a payment received earlier is dated then, in the payment, its ledger entry and the invoice's paid_at"
    )
    func paymentReceivedEarlier() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let received = Date(timeIntervalSince1970: 1_740_000_000)
            try await store.withTenant(tenant.context) { repos in
                let invoice = try await repos.invoices.create(
                    clientID: tenant.clientID, invoiceNumber: "INV-1",
                    issueDate: try date(2025, 1, 1),
                    dueDate: try date(2025, 1, 31),
                    lines: [
                        NewInvoiceLine(
                            description: "Design", unitPrice: try numeric("100.00"),
                            amount: try numeric("100.00"))
                    ],
                    status: .sent)
                let payment = try await repos.payments.record(
                    invoiceID: invoice.id, amount: try numeric("100.00"), method: .check,
                    idempotencyKey: "k1",
                    receivedAt: received)
                #expect(payment.processedAt == received)
                let paid = try await repos.invoices.get(invoice.id)
                #expect(paid.status == .paid)
                #expect(paid.paidAt == received)
                let ledger = try await repos.transactions.recent(limit: 1)
                #expect(ledger.map(\.transactionDate) == [received])
            }
        }
    }
}
