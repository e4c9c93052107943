import Financbase
import FoundationEssentials
import Hummingbird
import PGClient

/// An expense as the API shows it.
struct ExpenseJSON: ResponseEncodable, Sendable {
    var id: UUID
    var description: String
    var amount: PGNumeric
    var currency: String
    var expenseDate: String
    var category: String
    var vendor: String?
    var status: String
    var notes: String?
    var createdAt: Date

    init(_ expense: Expense) {
        id = expense.id
        description = expense.description
        amount = expense.amount
        currency = expense.currency
        expenseDate = DayText.encode(expense.expenseDate)
        category = expense.category
        vendor = expense.vendor
        status = expense.status.rawValue
        notes = expense.notes
        createdAt = expense.createdAt
    }
}

/// A new expense, or the fields of one to change (absent fields stay as they are).
struct ExpenseInput: Decodable, Sendable {
    var description: String?
    var amount: String?
    var currency: String?
    var expenseDate: String?
    var category: String?
    var vendor: String?
    var status: String?
    var notes: String?
}

extension APIRoutes {
    /// `/api/expenses`: list, get, create, update.
    func addExpenseRoutes(to api: RouterGroup<Context>) {
        api.get("expenses") { request, context in
            let query = try ListQuery(request)
            return try await gate.run(request, context) { repos in
                PageJSON(try await repos.expenses.list(after: query.after, limit: query.limit), ExpenseJSON.init)
            }
        }
        api.get("expenses/:id") { request, context in
            let id = try context.parameters.uuid("id")
            return try await gate.run(request, context) { repos in ExpenseJSON(try await repos.expenses.get(id)) }
        }
        api.post("expenses") { request, context in
            let input = try await request.decode(as: ExpenseInput.self, context: context)
            guard let description = input.description, let amountText = input.amount, let dayText = input.expenseDate,
                let category = input.category
            else {
                throw APIProblem(
                    status: .badRequest, code: "missing_field",
                    detail: "description, amount, expenseDate and category are required")
            }
            let amount = try AmountText.decode(amountText, field: "amount")
            let day = try DayText.decode(dayText, field: "expenseDate")
            let created = try await gate.run(request, context) { repos in
                ExpenseJSON(
                    try await repos.expenses.create(
                        description: description, amount: amount, currency: input.currency ?? "USD", expenseDate: day,
                        category: category, vendor: input.vendor))
            }
            return EditedResponse(status: .created, response: created)
        }
        api.patch("expenses/:id") { request, context in
            let id = try context.parameters.uuid("id")
            let input = try await request.decode(as: ExpenseInput.self, context: context)
            let amount = try input.amount.map { text throws(APIProblem) in try AmountText.decode(text, field: "amount") }
            let day = try input.expenseDate.map { text throws(APIProblem) in try DayText.decode(text, field: "expenseDate") }
            let status = try input.status.map { text throws(APIProblem) in
                try EnumText.decode(text, as: ExpenseStatus.self, field: "status")
            }
            return try await gate.run(request, context) { repos in
                var expense = try await repos.expenses.get(id)
                if let description = input.description { expense.description = description }
                if let amount { expense.amount = amount }
                if let currency = input.currency { expense.currency = currency }
                if let day { expense.expenseDate = day }
                if let category = input.category { expense.category = category }
                if let vendor = input.vendor { expense.vendor = vendor }
                if let status { expense.status = status }
                if let notes = input.notes { expense.notes = notes }
                return ExpenseJSON(try await repos.expenses.update(expense))
            }
        }
    }
}
