public import FoundationEssentials
public import PGWire
import PGClient

/// The money accounts of the current organization.
public struct AccountRepository: Sendable {
    let session: TenantSession

    /// Adds an account, owned by the context's user, whose current balance starts at
    /// `openingBalance`.
    ///
    /// - Throws: `PGError` (check violation) for a malformed currency or last four digits.
    public func create(
        name: String, type: AccountType, currency: String = "USD", openingBalance: PGNumeric = .zero,
        bankName: String? = nil, lastFour: String? = nil, creditLimit: PGNumeric? = nil, isPrimary: Bool = false
    ) async throws -> Account {
        let context = session.context
        return try await session.record(
            Account.self, "accounts.create", entity: "accounts", id: context.organizationID,
            """
            INSERT INTO financbase.accounts
                (organization_id, user_id, name, account_type, currency, opening_balance, current_balance,
                 bank_name, last_four, credit_limit, is_primary)
            VALUES (\(context.organizationID), \(context.userID), \(name), \(type), \(currency), \(openingBalance),
                    \(openingBalance), \(bankName), \(lastFour), \(creditLimit), \(isPrimary))
            RETURNING \(columnsOf: Account.self)
            """)
    }

    /// The account with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Account {
        try await session.fetch(Account.self, "accounts.get", id: id)
    }

    /// Saves every changeable field of `account`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func update(_ account: Account) async throws -> Account {
        try await session.record(
            Account.self, "accounts.update", entity: "accounts", id: account.id,
            """
            UPDATE financbase.accounts
            SET name = \(account.name), account_type = \(account.accountType), bank_name = \(account.bankName),
                last_four = \(account.lastFour), currency = \(account.currency),
                opening_balance = \(account.openingBalance), current_balance = \(account.currentBalance),
                credit_limit = \(account.creditLimit), status = \(account.status), is_primary = \(account.isPrimary),
                notes = \(account.notes)
            WHERE id = \(account.id) RETURNING \(columnsOf: Account.self)
            """)
    }

    /// Deletes the account with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` while transactions use it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("accounts.delete", table: "accounts", id: id)
    }

    /// A page of accounts, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Account> {
        try await session.page(Account.self, "accounts.list", after: cursor, limit: limit)
    }
}

extension TenantRepositories {
    /// The money accounts of the current organization.
    public var accounts: AccountRepository { AccountRepository(session: session) }
}
