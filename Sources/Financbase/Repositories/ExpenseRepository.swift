public import FoundationEssentials
public import PGWire
import PGClient

/// The expenses of the current organization.
public struct ExpenseRepository: Sendable {
    let session: TenantSession

    /// Records an expense by the context's user.
    ///
    /// - Throws: `PGError` for a negative amount, an empty category, or a project or payment
    ///   method of another organization.
    public func create(
        description: String, amount: PGNumeric, currency: String = "USD", expenseDate: PGDate, category: String,
        vendor: String? = nil, projectID: UUID? = nil, paymentMethodID: UUID? = nil, status: ExpenseStatus = .pending
    ) async throws -> Expense {
        let context = session.context
        return try await session.record(
            Expense.self, "expenses.create", entity: "expenses", id: context.organizationID,
            """
            INSERT INTO financbase.expenses
                (organization_id, user_id, description, amount, currency, expense_date, category, vendor,
                 project_id, payment_method_id, status)
            VALUES (\(context.organizationID), \(context.userID), \(description), \(amount), \(currency),
                    \(expenseDate), \(category), \(vendor), \(projectID), \(paymentMethodID), \(status))
            RETURNING \(columnsOf: Expense.self)
            """)
    }

    /// The expense with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Expense {
        try await session.fetch(Expense.self, "expenses.get", id: id)
    }

    /// Saves the changeable fields of `expense`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func update(_ expense: Expense) async throws -> Expense {
        try await session.record(
            Expense.self, "expenses.update", entity: "expenses", id: expense.id,
            """
            UPDATE financbase.expenses
            SET description = \(expense.description), amount = \(expense.amount), currency = \(expense.currency),
                expense_date = \(expense.expenseDate), category = \(expense.category), vendor = \(expense.vendor),
                payment_method_id = \(expense.paymentMethodID), project_id = \(expense.projectID),
                client_id = \(expense.clientID), status = \(expense.status), tax_amount = \(expense.taxAmount),
                tax_deductible = \(expense.taxDeductible), billable = \(expense.billable), notes = \(expense.notes)
            WHERE id = \(expense.id) RETURNING \(columnsOf: Expense.self)
            """)
    }

    /// Deletes the expense with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("expenses.delete", table: "expenses", id: id)
    }

    /// A page of expenses in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Expense> {
        try await session.page(Expense.self, "expenses.list", after: cursor, limit: limit)
    }

    /// Expenses with `from <= expense_date < to`, not rejected, counted and summed by month,
    /// category and currency.
    public func byCategoryPerMonth(from: PGDate, to: PGDate) async throws -> [ExpenseMonthTotal] {
        try await session.records(
            ExpenseMonthTotal.self, "expenses.byCategoryPerMonth", Self.byCategoryPerMonthQuery(from: from, to: to))
    }

    /// The statement of ``byCategoryPerMonth(from:to:)``, as sent; the plan tests explain it.
    static func byCategoryPerMonthQuery(from: PGDate, to: PGDate) -> PGQuery {
        """
        SELECT date_trunc('month', expense_date)::date AS month, category, currency,
               count(*) AS count, sum(amount) AS total
        FROM financbase.expenses
        WHERE status <> 'rejected' AND expense_date >= \(from) AND expense_date < \(to)
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        """
    }
}

/// The expenses of one category in one month and currency.
public struct ExpenseMonthTotal: Sendable, Hashable, Decodable {
    /// The first day of the month.
    public let month: PGDate
    /// The category.
    public let category: String
    /// The currency.
    public let currency: String
    /// How many expenses.
    public let count: Int64
    /// Their sum, exact.
    public let total: PGNumeric
}

extension TenantRepositories {
    /// The expenses of the current organization.
    public var expenses: ExpenseRepository { ExpenseRepository(session: session) }
}
