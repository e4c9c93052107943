import Financbase
import FoundationEssentials
import Hummingbird
import PGClient

/// A payment as the API shows it.
struct PaymentJSON: ResponseEncodable, Sendable {
    var id: UUID
    var invoiceID: UUID?
    var method: String
    var amount: PGNumeric
    var currency: String
    var status: String
    var idempotencyKey: String?
    var createdAt: Date

    init(_ payment: Payment) {
        id = payment.id
        invoiceID = payment.invoiceID
        method = payment.method.rawValue
        amount = payment.amount
        currency = payment.currency
        status = payment.status.rawValue
        idempotencyKey = payment.idempotencyKey
        createdAt = payment.createdAt
    }
}

/// A payment to record against an invoice.
struct PaymentInput: Decodable, Sendable {
    var invoiceID: UUID
    var amount: String
    var method: String
    var reference: String?
}

extension APIRoutes {
    /// `POST /api/payments` with an `Idempotency-Key` header: a retry with the same key returns
    /// the first payment and pays nothing again (the data layer keeps the keys, unique per
    /// organization).
    func addPaymentRoutes(to api: RouterGroup<Context>) {
        api.post("payments") { request, context in
            guard let key = request.headers.first(where: { $0.name.canonicalName == "idempotency-key" })?.value,
                !key.isEmpty, key.count <= 200
            else {
                throw APIProblem(
                    status: .badRequest, code: "missing_idempotency_key",
                    detail: "an Idempotency-Key header (1 to 200 characters) is required")
            }
            let input = try await request.decode(as: PaymentInput.self, context: context)
            let amount = try AmountText.decode(input.amount, field: "amount")
            let method = try EnumText.decode(input.method, as: PaymentMethodType.self, field: "method")
            let payment = try await gate.run(request, context) { repos in
                PaymentJSON(
                    try await repos.payments.record(
                        invoiceID: input.invoiceID, amount: amount, method: method, idempotencyKey: key,
                        reference: input.reference))
            }
            return EditedResponse(status: .created, response: payment)
        }
    }
}
