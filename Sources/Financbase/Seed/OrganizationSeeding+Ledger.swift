import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// A planned expense.
    struct PlannedExpense {
        let description: String
        let cents: Int64
        let date: PGDate
        let category: String
        let vendor: String
        let status: ExpenseStatus
        let onCard: Bool
        let project: Int?
    }

    /// A year of expenses: for each of the last twelve 30-day months, each category's usual
    /// number (times the scale), mostly approved, some pending, a few rejected.
    mutating func seedExpenses() async throws -> [PlannedExpense] {
        var plans: [PlannedExpense] = []
        for month in 0..<12 {
            for category in SeedCatalog.expenseCategories {
                for _ in 0..<(random.int(in: category.perMonth) * scale) {
                    let vendor = random.element(of: category.vendors)
                    let roll = random.int(in: 0...99)
                    plans.append(
                        PlannedExpense(
                            description: "\(vendor) – \(category.name)",
                            cents: random.cents(in: category.cents),
                            date: day(-(month * 30 + random.int(in: 0...29))),
                            category: category.name, vendor: vendor,
                            status: roll < 80 ? .approved : (roll < 94 ? .pending : .rejected),
                            onCard: random.chance(60),
                            project: projects.isEmpty || !random.chance(25)
                                ? nil : random.int(in: 0...(projects.count - 1))))
                }
            }
        }
        let (currency, methods, projects) = (currency, self.methods, self.projects)
        try await store.withTenant(admin) { repos in
            for plan in plans {
                _ = try await repos.expenses.create(
                    description: plan.description, amount: Self.money(plan.cents),
                    currency: currency,
                    expenseDate: plan.date, category: plan.category, vendor: plan.vendor,
                    projectID: plan.project.map { projects[$0].id },
                    paymentMethodID: plan.onCard ? methods.card : methods.bankTransfer,
                    status: plan.status)
            }
        }
        report("expenses", plans.count)
        return plans
    }

    /// A planned ledger entry.
    struct PlannedTransaction {
        let type: TransactionType
        let cents: Int64
        let account: UUID?
        let category: String
        let description: String
        let date: Date
    }

    /// The ledger: an expense transaction for each approved expense, and for each month a
    /// retainer received, the savings account's interest and a transfer to savings. Then the
    /// accounts' current balances are brought in line with what moved through them.
    mutating func seedTransactions(for expenses: [PlannedExpense]) async throws {
        var plans: [PlannedTransaction] = []
        for expense in expenses where expense.status == .approved {
            plans.append(
                PlannedTransaction(
                    type: .expense, cents: expense.cents,
                    account: expense.onCard ? accounts.card : accounts.checking,
                    category: expense.category, description: expense.description,
                    date: Self.instant(
                        expense.date, hour: random.int(in: 8...18), minute: random.int(in: 0...59)))
            )
        }
        for month in 0..<12 {
            let client = random.element(of: clients)
            plans.append(
                PlannedTransaction(
                    type: .income, cents: Int64(random.int(in: 20...60)) * 100_00,
                    account: accounts.checking,
                    category: "retainer", description: "Retainer from \(client.name)",
                    date: Self.instant(day(-(month * 30 + random.int(in: 0...4))), hour: 9)))
            plans.append(
                PlannedTransaction(
                    type: .income, cents: random.cents(in: 800...9_000), account: accounts.savings,
                    category: "interest",
                    description: "Interest", date: Self.instant(day(-(month * 30 + 1)), hour: 6)))
            plans.append(
                PlannedTransaction(
                    type: .transfer, cents: Int64(random.int(in: 10...30)) * 100_00,
                    account: accounts.checking,
                    category: "tax_reserve", description: "Transfer to tax reserve",
                    date: Self.instant(day(-(month * 30 + 2)), hour: 7)))
        }
        let (currency, accounts) = (currency, self.accounts)
        try await store.withTenant(admin) { repos in
            for (index, plan) in plans.enumerated() {
                _ = try await repos.transactions.create(
                    transactionNumber: "TX-\(Self.zeroPadded(index + 1, width: 5))",
                    type: plan.type,
                    amount: Self.money(plan.cents), currency: currency, accountID: plan.account,
                    category: plan.category,
                    description: plan.description, transactionDate: plan.date)
            }
            try await Self.settleBalances(repos, accounts: accounts, ledger: plans)
        }
        report("transactions", plans.count + paymentTransactions)
    }

    /// Sets each account's current balance to its opening balance plus what the payments and
    /// the ledger moved through it (a transfer leaves checking for savings).
    private static func settleBalances(
        _ repos: TenantRepositories, accounts: SeedAccounts, ledger: [PlannedTransaction]
    ) async throws {
        var moved: [UUID: Int64] = [:]
        if let checking = accounts.checking { moved[checking] = accounts.receivedCents }
        for entry in ledger {
            guard let account = entry.account else { continue }
            switch entry.type {
            case .income, .payment, .refund: moved[account, default: 0] += entry.cents
            case .expense: moved[account, default: 0] -= entry.cents
            case .transfer:
                moved[account, default: 0] -= entry.cents
                if let savings = accounts.savings { moved[savings, default: 0] += entry.cents }
            }
        }
        for (id, opening) in [
            (accounts.checking, accounts.checkingOpeningCents),
            (accounts.savings, accounts.savingsOpeningCents), (accounts.card, 0),
        ] {
            guard let id else { continue }
            var account = try await repos.accounts.get(id)
            account.currentBalance = money(opening + (moved[id] ?? 0))
            _ = try await repos.accounts.update(account)
        }
    }
}
