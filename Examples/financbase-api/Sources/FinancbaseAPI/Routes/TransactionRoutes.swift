import Financbase
import FoundationEssentials
import Hummingbird
import PGClient

/// A ledger transaction as the API shows it.
struct TransactionJSON: ResponseEncodable, Sendable {
    var id: UUID
    var transactionNumber: String
    var type: String
    var amount: PGNumeric
    var currency: String
    var category: String?
    var description: String?
    var status: String
    var invoiceID: UUID?
    var paymentID: UUID?
    var transactionDate: Date
    var notes: String?
    var createdAt: Date

    init(_ transaction: Transaction) {
        id = transaction.id
        transactionNumber = transaction.transactionNumber
        type = transaction.type.rawValue
        amount = transaction.amount
        currency = transaction.currency
        category = transaction.category
        description = transaction.description
        status = transaction.status.rawValue
        invoiceID = transaction.invoiceID
        paymentID = transaction.paymentID
        transactionDate = transaction.transactionDate
        notes = transaction.notes
        createdAt = transaction.createdAt
    }
}

/// A new transaction, or the fields of one to change (absent fields stay as they are).
struct TransactionInput: Decodable, Sendable {
    var transactionNumber: String?
    var type: String?
    var amount: String?
    var currency: String?
    var category: String?
    var description: String?
    var status: String?
    var notes: String?
}

extension APIRoutes {
    /// `/api/transactions`: list, get, create, update.
    func addTransactionRoutes(to api: RouterGroup<Context>) {
        api.get("transactions") { request, context in
            let query = try ListQuery(request)
            return try await gate.run(request, context) { repos in
                PageJSON(try await repos.transactions.list(after: query.after, limit: query.limit), TransactionJSON.init)
            }
        }
        api.get("transactions/:id") { request, context in
            let id = try context.parameters.uuid("id")
            return try await gate.run(request, context) { repos in TransactionJSON(try await repos.transactions.get(id)) }
        }
        api.post("transactions") { request, context in
            let input = try await request.decode(as: TransactionInput.self, context: context)
            guard let number = input.transactionNumber, let typeText = input.type, let amountText = input.amount else {
                throw APIProblem(
                    status: .badRequest, code: "missing_field", detail: "transactionNumber, type and amount are required")
            }
            let type = try EnumText.decode(typeText, as: TransactionType.self, field: "type")
            let amount = try AmountText.decode(amountText, field: "amount")
            let created = try await gate.run(request, context) { repos in
                TransactionJSON(
                    try await repos.transactions.create(
                        transactionNumber: number, type: type, amount: amount, currency: input.currency ?? "USD",
                        category: input.category, description: input.description))
            }
            return EditedResponse(status: .created, response: created)
        }
        api.patch("transactions/:id") { request, context in
            let id = try context.parameters.uuid("id")
            let input = try await request.decode(as: TransactionInput.self, context: context)
            let status = try input.status.map { text throws(APIProblem) in
                try EnumText.decode(text, as: TransactionStatus.self, field: "status")
            }
            return try await gate.run(request, context) { repos in
                var transaction = try await repos.transactions.get(id)
                if let category = input.category { transaction.category = category }
                if let description = input.description { transaction.description = description }
                if let status { transaction.status = status }
                if let notes = input.notes { transaction.notes = notes }
                return TransactionJSON(try await repos.transactions.update(transaction))
            }
        }
    }
}
