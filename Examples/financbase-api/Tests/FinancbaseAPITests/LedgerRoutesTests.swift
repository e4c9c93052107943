import Foundation
import HummingbirdTesting
import Testing

/// `/api/expenses`, `/api/transactions` and `/api/dashboard`.
@Suite struct LedgerRoutesTests {
    struct ExpenseBody: Decodable {
        var id: UUID
        var amount: String
        var category: String
        var expenseDate: String
    }
    struct TransactionBody: Decodable {
        var id: UUID
        var type: String
        var amount: String
        var description: String?
    }
    struct DashboardBody: Decodable {
        struct Recent: Decodable { var id: UUID }
        struct Total: Decodable {
            var type: String
            var total: String
        }
        struct Aging: Decodable { var status: String }
        struct Month: Decodable { var month: String }
        var recentTransactions: [Recent]
        var totals: [Total]
        var invoiceAging: [Aging]
        var expensesByMonth: [Month]
    }

    @Test func expensesAndTransactions() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            let auth = try await harness.auth(0)
            let created = try await client.execute(
                uri: "/api/expenses", method: .post, headers: auth,
                body: jsonBody(["description": "Train", "amount": "42.50", "expenseDate": "2026-03-01", "category": "travel"]))
            #expect(created.status == .created)
            let expense = try created.json(ExpenseBody.self)
            let updated = try await client.execute(
                uri: "/api/expenses/\(expense.id)", method: .patch, headers: auth, body: jsonBody(["amount": "40.00"]))
            #expect(try updated.json(ExpenseBody.self).amount == "40.00")
            let badDay = try await client.execute(
                uri: "/api/expenses", method: .post, headers: auth,
                body: jsonBody(["description": "x", "amount": "1", "expenseDate": "March", "category": "travel"]))
            #expect(try badDay.json(Problem.self).code == "invalid_date")
            let foreign = try await client.execute(uri: "/api/expenses/\(expense.id)", method: .get, headers: harness.auth(1))
            #expect(foreign.status == .notFound)

            let made = try await client.execute(
                uri: "/api/transactions", method: .post, headers: auth,
                body: jsonBody(["transactionNumber": "API-T-1", "type": "income", "amount": "99.99"]))
            #expect(made.status == .created)
            let transaction = try made.json(TransactionBody.self)
            let described = try await client.execute(
                uri: "/api/transactions/\(transaction.id)", method: .patch, headers: auth,
                body: jsonBody(["description": "Consulting"]))
            #expect(try described.json(TransactionBody.self).description == "Consulting")
            let listed = try await client.execute(uri: "/api/transactions?limit=200", method: .get, headers: auth)
            #expect(try listed.json(PageOf<Row>.self).items.contains(Row(id: transaction.id)))
            let duplicate = try await client.execute(
                uri: "/api/transactions", method: .post, headers: auth,
                body: jsonBody(["transactionNumber": "API-T-1", "type": "income", "amount": "1"]))
            #expect(duplicate.status == .unprocessableContent)
            #expect(try duplicate.json(Problem.self).code == "constraint_violation")
        }
    }

    @Test func theDashboardHoldsEveryPart() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            let response = try await client.execute(uri: "/api/dashboard", method: .get, headers: harness.auth(0))
            #expect(response.status == .ok)
            let dashboard = try response.json(DashboardBody.self)
            #expect(!dashboard.recentTransactions.isEmpty)
            #expect(!dashboard.totals.isEmpty)
            #expect(!dashboard.invoiceAging.isEmpty)
            #expect(!dashboard.expensesByMonth.isEmpty)
        }
    }
}
