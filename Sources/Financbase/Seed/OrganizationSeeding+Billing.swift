import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// A planned invoice and the payments to record against it.
    struct PlannedInvoice {
        let number: String
        let client: Int
        let issue: PGDate
        let due: PGDate
        let lines: [NewInvoiceLine]
        let taxCents: Int64
        let discountCents: Int64
        /// `sent` for one that payments will settle: recording them sets its status.
        var status: InvoiceStatus
        var paymentsCents: [Int64]
        /// When each payment came.
        var paymentDays: [PGDate]
        let method: PaymentMethodType
    }

    /// `24 × scale` invoices issued over the last six months. Those past due are mostly paid,
    /// some partly, some overdue (so every aging bucket fills), a few cancelled; those not yet
    /// due are drafts, sent, viewed or (partly) paid early.
    mutating func seedInvoices() async throws {
        var plans: [PlannedInvoice] = []
        for index in 0..<(24 * scale) {
            let client = random.int(in: 0...(clients.count - 1))
            let issue = day(-random.int(in: 0...180))
            let due = PGDate(daysSince2000: issue.daysSince2000 + Int32(clients[client].termsDays))
            var lines: [NewInvoiceLine] = []
            var subtotal: Int64 = 0
            for _ in 0..<random.int(in: 1...4) {
                let service = random.element(of: SeedCatalog.services)
                let quantity = Int64(
                    service.hourly ? random.int(in: 4...40) : random.int(in: 1...3))
                let unit = random.cents(in: service.unitCents)
                subtotal += quantity * unit
                lines.append(
                    NewInvoiceLine(
                        description: service.description, quantity: PGNumeric(quantity),
                        unitPrice: Self.money(unit),
                        amount: Self.money(quantity * unit)))
            }
            let discount = random.chance(10) ? Self.percent(5, of: subtotal) : 0
            let total = subtotal + Self.percent(organization.taxPercent, of: subtotal) - discount
            let (status, payments) = planStatus(due: due, total: total)
            // Paid some days after issue, never after today; a second payment comes later.
            let lastDay = min(today.daysSince2000, due.daysSince2000 + 20)
            var paymentDays: [PGDate] = []
            for _ in payments {
                let after = paymentDays.last?.daysSince2000 ?? issue.daysSince2000
                let span = Int(max(0, lastDay - after))
                paymentDays.append(PGDate(daysSince2000: after + Int32(random.int(in: 0...span))))
            }
            plans.append(
                PlannedInvoice(
                    number:
                        "INV-\(issue.description.prefix(4))-\(Self.zeroPadded(index + 1, width: 4))",
                    client: client, issue: issue, due: due, lines: lines,
                    taxCents: Self.percent(organization.taxPercent, of: subtotal),
                    discountCents: discount,
                    status: status, paymentsCents: payments, paymentDays: paymentDays,
                    method: random.chance(60) ? .stripe : .bankTransfer))
        }
        Self.fillAgingBuckets(&plans, today: today)
        let (clients, currency, methods) = (self.clients, currency, self.methods)
        try await store.withTenant(admin) { repos in
            for plan in plans {
                let invoice = try await repos.invoices.create(
                    clientID: clients[plan.client].id, invoiceNumber: plan.number,
                    currency: currency,
                    issueDate: plan.issue, dueDate: plan.due, lines: plan.lines,
                    taxAmount: Self.money(plan.taxCents),
                    discountAmount: Self.money(plan.discountCents), status: plan.status)
                for (number, (cents, day)) in zip(plan.paymentsCents, plan.paymentDays).enumerated()
                {
                    _ = try await repos.payments.record(
                        invoiceID: invoice.id, amount: Self.money(cents), method: plan.method,
                        idempotencyKey: "seed-\(plan.number)-\(number + 1)",
                        paymentMethodID: plan.method == .stripe
                            ? methods.stripe : methods.bankTransfer,
                        reference: plan.method == .stripe
                            ? "ch_seed_\(plan.number)_\(number + 1)" : nil,
                        receivedAt: Self.instant(day, hour: 15, minute: number * 7))
                }
            }
        }
        let payments = plans.reduce(0) { $0 + $1.paymentsCents.count }
        accounts.receivedCents += plans.reduce(0) { $0 + $1.paymentsCents.reduce(0, +) }
        report("invoices", plans.count)
        report("invoice_lines", plans.reduce(0) { $0 + $1.lines.count })
        report("payments", payments)
        // Each payment also wrote its ledger transaction; reported with the ledger's own.
        paymentTransactions = payments
    }

    /// Makes sure every past-due aging bucket (1–30, 31–60, 61–90, over 90 days) that some
    /// invoice falls in holds an overdue one, whatever the draws: the first invoice of a bucket
    /// without one becomes overdue and unpaid. Draws nothing from the generator.
    static func fillAgingBuckets(_ plans: inout [PlannedInvoice], today: PGDate) {
        func bucket(_ plan: PlannedInvoice) -> Int? {
            let late = Int(today.daysSince2000 - plan.due.daysSince2000)
            return late <= 0 ? nil : min((late - 1) / 30, 3)
        }
        for wanted in 0...3 where !plans.contains(where: { bucket($0) == wanted && $0.status == .overdue }) {
            guard let index = plans.firstIndex(where: { bucket($0) == wanted && $0.status != .cancelled })
            else { continue }
            plans[index].status = .overdue
            plans[index].paymentsCents = []
            plans[index].paymentDays = []
        }
    }

    /// The status an invoice is created with and the payments (cents) that follow.
    private mutating func planStatus(due: PGDate, total: Int64) -> (InvoiceStatus, [Int64]) {
        let roll = random.int(in: 0...99)
        let partial = total * Int64(random.int(in: 20...70)) / 100
        if due < today {
            switch roll {
            case ..<50: return (.sent, splitFull(total))
            case ..<65: return (.sent, [max(partial, 1)])
            case ..<95: return (.overdue, [])
            default: return (.cancelled, [])
            }
        }
        switch roll {
        case ..<15: return (.draft, [])
        case ..<45: return (.sent, [])
        case ..<65: return (.viewed, [])
        case ..<80: return (.sent, [max(partial, 1)])
        default: return (.sent, splitFull(total))
        }
    }

    /// `7` → `0007` for `width` 4.
    static func zeroPadded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The whole `total` in one payment, or in two (a deposit, then the rest).
    private mutating func splitFull(_ total: Int64) -> [Int64] {
        guard total >= 2, random.chance(30) else { return [total] }
        let deposit = total * Int64(random.int(in: 30...60)) / 100
        return deposit > 0 ? [deposit, total - deposit] : [total]
    }
}
