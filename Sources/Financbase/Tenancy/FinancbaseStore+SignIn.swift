public import Logging
extension FinancbaseStore {
    /// Runs `body` as one transaction for the user whose Clerk id is `clerkID`, resolved by the
    /// server inside that transaction.
    ///
    /// The organization, user and role come from `app.identity_for_clerk`, a SECURITY DEFINER
    /// lookup that returns one active user's identity and nothing else; `BEGIN`, the lookup with
    /// both `set_config(…, true)` calls, and the check of what the server then reports go in one
    /// round trip. An unknown or deactivated Clerk id sets no context at all: the transaction is
    /// rolled back and ``FinancbaseError/signInRefused(clerkID:)`` is thrown before `body` runs.
    /// Otherwise the unit behaves as ``withTenant(isolation:_:logger:_:)``; `repos.context` holds the
    /// resolved ids and `repos.role` the role.
    ///
    /// ```swift
    /// let invoices = try await store.withTenant(clerkID: session.clerkUserID) { repos in
    ///     try await repos.invoices.list(limit: 20)
    /// }
    /// ```
    ///
    /// - Throws: ``FinancbaseError/signInRefused(clerkID:)``; otherwise as
    ///   ``withTenant(isolation:_:logger:_:)``.
    public func withTenant<Result: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        clerkID: String,
        logger: Logger? = nil,
        _ body: (TenantRepositories) async throws -> Result
    ) async throws -> Result {
        try await pool.withConnection(logger: logger) { connection in
            try await runUnit(.clerk(clerkID), on: connection, logger: logger, body)
        }
    }
}
