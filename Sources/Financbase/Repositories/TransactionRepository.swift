public import FoundationEssentials
public import PGWire
import PGClient

/// The ledger of the current organization.
public struct TransactionRepository: Sendable {
    let session: TenantSession

    /// Records a transaction by the context's user.
    ///
    /// - Throws: `PGError` for a number already used in the organization, or an account of
    ///   another organization (foreign key violation).
    public func create(
        transactionNumber: String, type: TransactionType, amount: PGNumeric, currency: String = "USD",
        accountID: UUID? = nil, category: String? = nil, description: String? = nil,
        status: TransactionStatus = .completed, transactionDate: Date = Date()
    ) async throws -> Transaction {
        let context = session.context
        return try await session.record(
            Transaction.self, "transactions.create", entity: "transactions", id: context.organizationID,
            """
            INSERT INTO financbase.transactions
                (organization_id, user_id, account_id, transaction_number, type, amount, currency, category,
                 description, status, transaction_date)
            VALUES (\(context.organizationID), \(context.userID), \(accountID), \(transactionNumber), \(type),
                    \(amount), \(currency), \(category), \(description), \(status), \(transactionDate))
            RETURNING \(columnsOf: Transaction.self)
            """)
    }

    /// The transaction with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Transaction {
        try await session.fetch(Transaction.self, "transactions.get", id: id)
    }

    /// Saves the changeable fields of `transaction` (not its links to invoices and payments).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func update(_ transaction: Transaction) async throws -> Transaction {
        try await session.record(
            Transaction.self, "transactions.update", entity: "transactions", id: transaction.id,
            """
            UPDATE financbase.transactions
            SET account_id = \(transaction.accountID), transaction_number = \(transaction.transactionNumber),
                type = \(transaction.type), amount = \(transaction.amount), currency = \(transaction.currency),
                description = \(transaction.description), category = \(transaction.category),
                status = \(transaction.status), transaction_date = \(transaction.transactionDate),
                notes = \(transaction.notes)
            WHERE id = \(transaction.id) RETURNING \(columnsOf: Transaction.self)
            """)
    }

    /// Deletes the transaction with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("transactions.delete", table: "transactions", id: id)
    }

    /// A page of transactions in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Transaction> {
        try await session.page(Transaction.self, "transactions.list", after: cursor, limit: limit)
    }

    /// The newest `limit` transactions by transaction date, with their account's and user's names.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func recent(limit: Int = 20) async throws -> [TransactionFeedItem] {
        try RepositoryError.checkLimit(limit)
        return try await session.records(TransactionFeedItem.self, "transactions.recent", Self.recentQuery(limit: limit))
    }

    /// The statement of ``recent(limit:)``, as sent; the plan tests explain it. The newest rows
    /// are picked from the ledger alone (the tenant's date index, read from its newest end)
    /// before the feed joins their names: asked of the feed itself, the planner may join every
    /// user's transactions first and sort them all.
    static func recentQuery(limit: Int) -> PGQuery {
        """
        SELECT \(columnsOf: TransactionFeedItem.self) FROM financbase.transaction_feed
        WHERE (organization_id, id) IN (
            SELECT organization_id, id FROM financbase.transactions
            ORDER BY transaction_date DESC, id DESC LIMIT \(limit))
        ORDER BY transaction_date DESC, id DESC
        """
    }

    /// Completed transactions with `from <= transaction_date < to`, counted and summed by type,
    /// category and currency.
    public func totals(from: Date, to: Date) async throws -> [TransactionTotal] {
        try await session.records(TransactionTotal.self, "transactions.totals", Self.totalsQuery(from: from, to: to))
    }

    /// The statement of ``totals(from:to:)``, as sent; the plan tests explain it.
    static func totalsQuery(from: Date, to: Date) -> PGQuery {
        """
        SELECT type, category, currency, count(*) AS count, sum(amount) AS total
        FROM financbase.transactions
        WHERE status = 'completed' AND transaction_date >= \(from) AND transaction_date < \(to)
        GROUP BY type, category, currency
        ORDER BY type, category NULLS FIRST, currency
        """
    }
}

extension TenantRepositories {
    /// The ledger of the current organization.
    public var transactions: TransactionRepository { TransactionRepository(session: session) }
}
