import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Repositories: CRUD, paging, money")
struct CrudRepositoryTests {
    @Test("a tenant is provisioned; organization, user, client, account, invoice round-trip")
    func roundTrips() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                var organization = try await repos.organizations.current()
                #expect(organization.name == "Acme")
                organization.ownerID = tenant.context.userID
                organization.slug = "acme"
                let saved = try await repos.organizations.update(organization)
                #expect(saved.ownerID == tenant.context.userID)
                #expect(saved.slug == "acme")
                #expect(saved.updatedAt > organization.updatedAt || saved.updatedAt == organization.updatedAt)

                #expect(try await repos.users.get(tenant.context.userID).role == .admin)
                // The admin changes a colleague's role (its own would take its rights away at once).
                var user = try await repos.users.create(clerkID: "clerk_\(UUID())", email: "grace@acme.test")
                #expect(user.role == .user)
                user.role = .viewer
                #expect(try await repos.users.update(user).role == .viewer)

                var client = try await repos.clients.get(tenant.clientID)
                client.taxID = "FR-123"
                client.status = .inactive
                let updated = try await repos.clients.update(client)
                #expect(updated.taxID == "FR-123")
                #expect(updated.status == .inactive)

                let account = try await repos.accounts.create(name: "Main", type: .creditCard, lastFour: "4242")
                #expect(try await repos.accounts.get(account.id) == account)
                try await repos.accounts.delete(account.id)
                await #expect(throws: RepositoryError.notFound(entity: "accounts", id: account.id)) {
                    try await repos.accounts.get(account.id)
                }
                await #expect(throws: RepositoryError.notFound(entity: "accounts", id: account.id)) {
                    try await repos.accounts.delete(account.id)
                }

                let invoice = try await repos.invoices.create(
                    clientID: tenant.clientID, invoiceNumber: "INV-1", dueDate: try date(2030, 1, 31),
                    lines: [
                        NewInvoiceLine(description: "Design", quantity: 3, unitPrice: try numeric("120.50"), amount: try numeric("361.50")),
                        NewInvoiceLine(description: "Hosting", unitPrice: try numeric("0.01"), amount: try numeric("0.01")),
                    ],
                    taxAmount: try numeric("72.30"), discountAmount: try numeric("10.00"))
                #expect(invoice.subtotal == (try numeric("361.51")))
                #expect(invoice.total == (try numeric("423.81")))
                #expect(invoice.status == .draft)
                let lines = try await repos.invoices.lines(of: invoice.id)
                #expect(lines.map(\.description) == ["Design", "Hosting"])
                #expect(lines.map(\.position) == [0, 1])
                #expect(lines[0].quantity == 3)
                try await repos.invoices.delete(invoice.id)
                #expect(try await repos.invoices.lines(of: invoice.id).isEmpty)

                let project = try await repos.projects.create(
                    name: "Website", clientID: tenant.clientID, startDate: try date(2025, 1, 1), budget: try numeric("5000.00"))
                let parent = try await repos.tasks.create(projectID: project.id, title: "Build")
                var child = try await repos.tasks.create(projectID: project.id, title: "Deploy", parentTaskID: parent.id)
                child.status = .inProgress
                child.assigneeID = tenant.context.userID
                let savedChild = try await repos.tasks.update(child)
                #expect(savedChild.status == .inProgress)
                #expect(savedChild.assigneeID == tenant.context.userID)
                // Both rows carry the same created_at (one transaction), so only the set is defined.
                #expect(Set(try await repos.tasks.forProject(project.id).map(\.title)) == ["Build", "Deploy"])
                try await repos.projects.delete(project.id)
                await #expect(throws: RepositoryError.notFound(entity: "tasks", id: child.id)) {
                    try await repos.tasks.get(child.id)
                }
            }
        }
    }

    @Test("money round-trips exactly, to the cent and at the column's limits")
    func moneyIsExact() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                for text in ["9999999999.99", "-9999999999.99", "0.01", "-0.10", "0.00", "1234567.89"] {
                    let amount = try numeric(text)
                    let account = try await repos.accounts.create(name: "A \(text)", type: .checking, openingBalance: amount)
                    let read = try await repos.accounts.get(account.id)
                    #expect(read.currentBalance == amount)
                    #expect(read.currentBalance.description == text)
                    let transaction = try await repos.transactions.create(
                        transactionNumber: "T \(text)", type: .income, amount: amount)
                    #expect(try await repos.transactions.get(transaction.id).amount.description == text)
                }
            }
            // Beyond numeric(12,2): refused, not rounded into a different amount.
            await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    _ = try await repos.accounts.create(name: "Too big", type: .checking, openingBalance: try numeric("10000000000.00"))
                }
            }
        }
    }

    @Test("keyset pages over 250 clients return every row once, in order")
    func keysetPagination() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let other = try await TenantFixture.make(in: store, name: "Other")
            let created = try await store.withTenant(tenant.context) { repos in
                var ids = [tenant.clientID]
                for index in 0..<249 {
                    ids.append(try await repos.clients.create(name: "Client \(index)", email: "c\(index)@x.test").id)
                }
                return ids
            }
            var seen: [UUID] = []
            var cursor: Cursor?
            var pages = 0
            repeat {
                let page = try await store.withTenant(tenant.context) { repos in
                    try await repos.clients.list(after: cursor, limit: 37)
                }
                seen += page.rows.map(\.id)
                #expect(page.rows.allSatisfy { $0.organizationID == tenant.context.organizationID })
                cursor = page.next
                pages += 1
            } while cursor != nil
            #expect(pages == 7)
            #expect(seen.count == 250)
            #expect(Set(seen) == Set(created))
            #expect(!seen.contains(other.clientID))
            await #expect(throws: RepositoryError.self) {
                try await store.withTenant(tenant.context) { repos in try await repos.clients.list(limit: 0) }
            }
        }
    }

    @Test("a row of another organization cannot be referenced, read, changed or deleted")
    func crossTenantIsImpossible() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let acme = try await TenantFixture.make(in: store)
            let globex = try await TenantFixture.make(in: store, name: "Globex")
            // An invoice of Acme naming Globex's client: the composite foreign key refuses it.
            let error = await #expect(throws: PGError.self) {
                try await store.withTenant(acme.context) { repos in
                    _ = try await repos.invoices.create(
                        clientID: globex.clientID, invoiceNumber: "X-1", dueDate: try date(2030, 1, 1), lines: [])
                }
            }
            #expect(error?.sqlState == .foreignKeyViolation)
            try await store.withTenant(acme.context) { repos in
                await #expect(throws: RepositoryError.notFound(entity: "clients", id: globex.clientID)) {
                    try await repos.clients.get(globex.clientID)
                }
                await #expect(throws: RepositoryError.notFound(entity: "clients", id: globex.clientID)) {
                    try await repos.clients.delete(globex.clientID)
                }
            }
            let other = try await store.withTenant(globex.context) { repos in try await repos.clients.get(globex.clientID) }
            #expect(other.name == "Client of Globex")
        }
    }
}
