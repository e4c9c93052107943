import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Repositories: recording payments")
struct PaymentRepositoryTests {
    /// A tenant with one sent invoice of `total`.
    private static func invoice(
        total: String, in store: FinancbaseStore
    ) async throws -> (TenantFixture, Invoice) {
        let tenant = try await TenantFixture.make(in: store)
        let invoice = try await store.withTenant(tenant.context) { repos in
            let amount = try numeric(total)
            return try await repos.invoices.create(
                clientID: tenant.clientID, invoiceNumber: "INV-1", dueDate: try date(2030, 1, 1),
                lines: [NewInvoiceLine(description: "Work", unitPrice: amount, amount: amount)], status: .sent)
        }
        return (tenant, invoice)
    }

    @Test("a partial then a final payment: payments, ledger and invoice status agree")
    func partialThenFull() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let (tenant, invoice) = try await Self.invoice(total: "100.00", in: store)
            try await store.withTenant(tenant.context) { repos in
                _ = try await repos.payments.record(invoiceID: invoice.id, amount: try numeric("40.01"), method: .card, idempotencyKey: "k1")
                let partial = try await repos.invoices.get(invoice.id)
                #expect(partial.status == .partiallyPaid)
                #expect(partial.amountPaid == (try numeric("40.01")))
                #expect(partial.paidAt == nil)
                _ = try await repos.payments.record(invoiceID: invoice.id, amount: try numeric("59.99"), method: .cash, idempotencyKey: "k2")
                let paid = try await repos.invoices.get(invoice.id)
                #expect(paid.status == .paid)
                #expect(paid.amountPaid == paid.total)
                #expect(paid.paidAt != nil)
                #expect(try await repos.payments.forInvoice(invoice.id).count == 2)
                let ledger = try await repos.transactions.recent(limit: 10)
                #expect(ledger.count == 2)
                #expect(ledger.allSatisfy { $0.type == .payment })
                await #expect(throws: RepositoryError.overpayment(invoiceID: invoice.id, outstanding: .zero, amount: try numeric("0.01"))) {
                    try await repos.payments.record(invoiceID: invoice.id, amount: try numeric("0.01"), method: .cash, idempotencyKey: "k3")
                }
                await #expect(throws: RepositoryError.self) {
                    try await repos.payments.record(invoiceID: invoice.id, amount: try numeric("-1"), method: .cash, idempotencyKey: "k4")
                }
            }
        }
    }

    @Test("the same idempotency key twice pays once; reused for another amount it is refused")
    func idempotency() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let (tenant, invoice) = try await Self.invoice(total: "100.00", in: store)
            let amount = try numeric("60.00")
            let first = try await store.withTenant(tenant.context) { repos in
                try await repos.payments.record(invoiceID: invoice.id, amount: amount, method: .bankTransfer, idempotencyKey: "req-42")
            }
            // The retry runs in a new unit of work, as a retried HTTP request would.
            let second = try await store.withTenant(tenant.context) { repos in
                try await repos.payments.record(invoiceID: invoice.id, amount: amount, method: .bankTransfer, idempotencyKey: "req-42")
            }
            #expect(first == second)
            try await store.withTenant(tenant.context) { (repos) async throws in
                #expect(try await repos.payments.forInvoice(invoice.id).count == 1)
                #expect(try await repos.invoices.get(invoice.id).amountPaid == amount)
                #expect(try await repos.transactions.recent(limit: 10).count == 1)
                await #expect(throws: RepositoryError.idempotencyKeyReused(key: "req-42", paymentID: first.id)) {
                    try await repos.payments.record(invoiceID: invoice.id, amount: try numeric("10.00"), method: .bankTransfer, idempotencyKey: "req-42")
                }
            }
        }
    }

    @Test("concurrent payments on one invoice never pay more than its total")
    func concurrentPaymentsNeverOverpay() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore(maxConnections: 8) { store in
            let (tenant, invoice) = try await Self.invoice(total: "100.00", in: store)
            let amount = try numeric("30.00")
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await store.withTenant(tenant.context) { repos in
                                try await repos.payments.record(
                                    invoiceID: invoice.id, amount: amount, method: .card, idempotencyKey: "c-\(index)")
                            }
                            return true
                        } catch RepositoryError.overpayment {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 3)
            try await store.withTenant(tenant.context) { repos in
                let paid = try await repos.invoices.get(invoice.id)
                #expect(paid.amountPaid == (try numeric("90.00")))
                #expect(paid.status == .partiallyPaid)
                #expect(try await repos.payments.forInvoice(invoice.id).count == 3)
            }
        }
    }
}
