import Foundation
import HummingbirdTesting
import Testing

/// Invoices, and payments with an Idempotency-Key: a retry returns the first payment and pays
/// nothing twice.
@Suite struct InvoicePaymentTests {
    struct InvoiceBody: Decodable {
        var id: UUID
        var total: String
        var amountPaid: String
        var status: String
        var dueDate: String
    }
    struct PaymentBody: Decodable {
        var id: UUID
        var amount: String
    }

    @Test func createUpdatePayOnceWhateverTheRetries() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            let auth = try await harness.auth(0)
            let clients = try await client.execute(uri: "/api/clients?limit=1", method: .get, headers: auth)
            let clientID = try #require(try clients.json(PageOf<Row>.self).items.first?.id)
            let created = try await client.execute(
                uri: "/api/invoices", method: .post, headers: auth,
                body: jsonBody([
                    "clientID": clientID.uuidString, "invoiceNumber": "API-0001", "dueDate": "2030-01-31",
                    "lines": [["description": "Design", "quantity": "2", "unitPrice": "150.00", "amount": "300.00"]],
                ]))
            #expect(created.status == .created)
            let invoice = try created.json(InvoiceBody.self)
            #expect(invoice.total == "300.00" && invoice.amountPaid == "0.00")

            let sent = try await client.execute(
                uri: "/api/invoices/\(invoice.id)", method: .patch, headers: auth,
                body: jsonBody(["status": "sent", "dueDate": "2030-02-28"]))
            #expect(sent.status == .ok)
            #expect(try sent.json(InvoiceBody.self).dueDate == "2030-02-28")

            var keyed = auth
            keyed[.init("Idempotency-Key")!] = "pay-api-0001"
            let headers = keyed
            let payment = try jsonBody(["invoiceID": invoice.id.uuidString, "amount": "100.00", "method": "bank_transfer"])
            let first = try await client.execute(uri: "/api/payments", method: .post, headers: headers, body: payment)
            #expect(first.status == .created)
            let paid = try first.json(PaymentBody.self)
            // Retried, also concurrently: the same payment each time.
            let retries = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        let again = try await client.execute(uri: "/api/payments", method: .post, headers: headers, body: payment)
                        return try again.json(PaymentBody.self).id
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0.append($1) }
            }
            #expect(retries == Array(repeating: paid.id, count: 5))
            let after = try await client.execute(uri: "/api/invoices/\(invoice.id)", method: .get, headers: auth)
            let state = try after.json(InvoiceBody.self)
            #expect(state.amountPaid == "100.00" && state.status == "partially_paid")

            let noKey = try await client.execute(uri: "/api/payments", method: .post, headers: auth, body: payment)
            #expect(try noKey.json(Problem.self).code == "missing_idempotency_key")
            var other = auth
            other[.init("Idempotency-Key")!] = "pay-api-0002"
            let tooMuch = try await client.execute(
                uri: "/api/payments", method: .post, headers: other,
                body: jsonBody(["invoiceID": invoice.id.uuidString, "amount": "1000.00", "method": "cash"]))
            #expect(tooMuch.status == .unprocessableContent)
            #expect(try tooMuch.json(Problem.self).code == "overpayment")

            // Another tenant can neither see nor pay it.
            let foreign = try await client.execute(uri: "/api/invoices/\(invoice.id)", method: .get, headers: harness.auth(1))
            #expect(foreign.status == .notFound)
            var theirs = try await harness.auth(1)
            theirs[.init("Idempotency-Key")!] = "pay-api-0003"
            let foreignPay = try await client.execute(uri: "/api/payments", method: .post, headers: theirs, body: payment)
            #expect(foreignPay.status == .notFound)
        }
    }
}
