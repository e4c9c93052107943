import Financbase
import FoundationEssentials
import Hummingbird
import PGClient

/// An invoice as the API shows it; amounts are decimal strings.
struct InvoiceJSON: ResponseEncodable, Sendable {
    var id: UUID
    var clientID: UUID
    var invoiceNumber: String
    var currency: String
    var subtotal: PGNumeric
    var taxAmount: PGNumeric
    var total: PGNumeric
    var amountPaid: PGNumeric
    var status: String
    var issueDate: String
    var dueDate: String
    var notes: String?
    var createdAt: Date

    init(_ invoice: Invoice) {
        id = invoice.id
        clientID = invoice.clientID
        invoiceNumber = invoice.invoiceNumber
        currency = invoice.currency
        subtotal = invoice.subtotal
        taxAmount = invoice.taxAmount
        total = invoice.total
        amountPaid = invoice.amountPaid
        status = invoice.status.rawValue
        issueDate = DayText.encode(invoice.issueDate)
        dueDate = DayText.encode(invoice.dueDate)
        notes = invoice.notes
        createdAt = invoice.createdAt
    }
}

/// A new invoice: its client, number, due date and lines.
struct InvoiceInput: Decodable, Sendable {
    struct Line: Decodable, Sendable {
        var description: String
        var quantity: String
        var unitPrice: String
        var amount: String
    }
    var clientID: UUID
    var invoiceNumber: String
    var currency: String?
    var dueDate: String
    var lines: [Line]
    var taxAmount: String?
    var notes: String?
}

/// The fields of an invoice that can change (absent fields stay as they are).
struct InvoicePatch: Decodable, Sendable {
    var dueDate: String?
    var status: String?
    var notes: String?
}

extension APIRoutes {
    /// `/api/invoices`: list, get, create, update.
    func addInvoiceRoutes(to api: RouterGroup<Context>) {
        api.get("invoices") { request, context in
            let query = try ListQuery(request)
            return try await gate.run(request, context) { repos in
                PageJSON(try await repos.invoices.list(after: query.after, limit: query.limit), InvoiceJSON.init)
            }
        }
        api.get("invoices/:id") { request, context in
            let id = try context.parameters.uuid("id")
            return try await gate.run(request, context) { repos in InvoiceJSON(try await repos.invoices.get(id)) }
        }
        api.post("invoices") { request, context in
            let input = try await request.decode(as: InvoiceInput.self, context: context)
            let dueDate = try DayText.decode(input.dueDate, field: "dueDate")
            let tax = try input.taxAmount.map { text throws(APIProblem) in try AmountText.decode(text, field: "taxAmount") }
            var lines: [NewInvoiceLine] = []
            for line in input.lines {
                lines.append(
                    NewInvoiceLine(
                        description: line.description,
                        quantity: try AmountText.decode(line.quantity, field: "quantity"),
                        unitPrice: try AmountText.decode(line.unitPrice, field: "unitPrice"),
                        amount: try AmountText.decode(line.amount, field: "amount")))
            }
            let created = try await gate.run(request, context) { repos in
                InvoiceJSON(
                    try await repos.invoices.create(
                        clientID: input.clientID, invoiceNumber: input.invoiceNumber, currency: input.currency ?? "USD",
                        dueDate: dueDate, lines: lines, taxAmount: tax ?? .zero, notes: input.notes))
            }
            return EditedResponse(status: .created, response: created)
        }
        api.patch("invoices/:id") { request, context in
            let id = try context.parameters.uuid("id")
            let patch = try await request.decode(as: InvoicePatch.self, context: context)
            let dueDate = try patch.dueDate.map { text throws(APIProblem) in try DayText.decode(text, field: "dueDate") }
            let status = try patch.status.map { text throws(APIProblem) in
                try EnumText.decode(text, as: InvoiceStatus.self, field: "status")
            }
            return try await gate.run(request, context) { repos in
                var invoice = try await repos.invoices.get(id)
                if let dueDate { invoice.dueDate = dueDate }
                if let status { invoice.status = status }
                if let notes = patch.notes { invoice.notes = notes }
                return InvoiceJSON(try await repos.invoices.update(invoice))
            }
        }
    }
}
