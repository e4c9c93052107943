import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Repositories: dashboard aggregates")
struct DashboardRepositoryTests {
    @Test("recent transactions carry account and user names; totals sum exactly by type and category")
    func transactionsFeedAndTotals() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let day: TimeInterval = 86_400
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            try await store.withTenant(tenant.context) { repos in
                let account = try await repos.accounts.create(name: "Operating", type: .checking)
                let rows: [(TransactionType, String?, String, Double, TransactionStatus)] = [
                    (.income, "sales", "100.10", 0, .completed),
                    (.income, "sales", "0.20", 1, .completed),
                    (.income, nil, "5.00", 2, .completed),
                    (.expense, "rent", "1500.00", 3, .completed),
                    (.expense, "rent", "-0.10", 4, .completed),
                    (.expense, "rent", "999.99", 5, .failed),  // not completed: left out
                    (.income, "sales", "7.00", 40, .completed),  // after the range
                ]
                for (index, row) in rows.enumerated() {
                    _ = try await repos.transactions.create(
                        transactionNumber: "T-\(index)", type: row.0, amount: try numeric(row.2),
                        accountID: index == 0 ? account.id : nil, category: row.1, status: row.4,
                        transactionDate: start.addingTimeInterval(row.3 * day))
                }
                let totals = try await repos.transactions.totals(from: start, to: start.addingTimeInterval(30 * day))
                let summary = totals.map { "\($0.type.rawValue)/\($0.category ?? "-")/\($0.count)/\($0.total)" }
                #expect(summary == ["expense/rent/2/1499.90", "income/-/1/5.00", "income/sales/2/100.30"])

                let recent = try await repos.transactions.recent(limit: 3)
                #expect(recent.map(\.transactionNumber) == ["T-6", "T-5", "T-4"])
                let oldest = try await repos.transactions.recent(limit: 7).last
                #expect(oldest?.accountName == "Operating")
                #expect(oldest?.userName == "Ada Lovelace")
                #expect(recent.first?.accountName == nil)
            }
        }
    }

    @Test("invoices are grouped by status and aging bucket with exact sums")
    func invoiceAging() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let asOf = try date(2025, 6, 30)
            try await store.withTenant(tenant.context) { repos in
                // (due date, total, status)
                let invoices: [(PGDate, String, InvoiceStatus)] = [
                    (try date(2025, 7, 15), "100.00", .sent),  // current
                    (try date(2025, 6, 30), "50.00", .sent),  // due today: current
                    (try date(2025, 6, 15), "10.01", .sent),  // 15 days: 1-30
                    (try date(2025, 5, 31), "20.02", .sent),  // 30 days: 1-30
                    (try date(2025, 5, 1), "30.00", .overdue),  // 60 days: 31-60
                    (try date(2025, 4, 1), "40.00", .overdue),  // 90 days: 61-90
                    (try date(2025, 1, 1), "99.99", .overdue),  // 180 days: 90+
                    (try date(2025, 1, 1), "75.00", .paid),  // paid: current
                ]
                for (index, invoice) in invoices.enumerated() {
                    let total = try numeric(invoice.1)
                    _ = try await repos.invoices.create(
                        clientID: tenant.clientID, invoiceNumber: "INV-\(index)", issueDate: try date(2024, 12, 1),
                        dueDate: invoice.0, lines: [NewInvoiceLine(description: "Work", unitPrice: total, amount: total)],
                        status: invoice.2)
                }
                let aging = try await repos.invoices.byStatusWithAging(asOf: asOf)
                let summary = aging.map { "\($0.status.rawValue) \($0.bucket.rawValue) \($0.count) \($0.total) \($0.outstanding)" }
                #expect(summary == [
                    "overdue 31-60 1 30.00 30.00",
                    "overdue 61-90 1 40.00 40.00",
                    "overdue 90+ 1 99.99 99.99",
                    "paid current 1 75.00 75.00",
                    "sent 1-30 2 30.03 30.03",
                    "sent current 2 150.00 150.00",
                ])
            }
        }
    }

    @Test("expenses are summed by category per month, rejected ones left out")
    func expensesByCategoryPerMonth() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                let expenses: [(PGDate, String, String, ExpenseStatus)] = [
                    (try date(2025, 1, 5), "travel", "100.25", .approved),
                    (try date(2025, 1, 31), "travel", "0.75", .pending),
                    (try date(2025, 1, 20), "software", "49.99", .approved),
                    (try date(2025, 2, 1), "travel", "10.00", .approved),
                    (try date(2025, 2, 2), "travel", "500.00", .rejected),
                    (try date(2025, 3, 1), "travel", "1.00", .approved),  // outside [Jan, Mar)
                ]
                for expense in expenses {
                    _ = try await repos.expenses.create(
                        description: "e", amount: try numeric(expense.2), expenseDate: expense.0,
                        category: expense.1, status: expense.3)
                }
                let months = try await repos.expenses.byCategoryPerMonth(from: try date(2025, 1, 1), to: try date(2025, 3, 1))
                let summary = months.map { "\($0.month) \($0.category) \($0.count) \($0.total)" }
                #expect(summary == [
                    "2025-01-01 software 1 49.99",
                    "2025-01-01 travel 2 101.00",
                    "2025-02-01 travel 1 10.00",
                ])
            }
        }
    }
}
