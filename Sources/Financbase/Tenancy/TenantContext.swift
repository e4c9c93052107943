public import FoundationEssentials

/// Who a unit of work acts for: the signed-in user and the organization whose rows it may see.
///
/// The context reaches the database only inside a transaction, through
/// ``FinancbaseStore/withTenant(isolation:_:logger:_:)``; row-level security then limits every statement to
/// `organizationID` (and, on user-scoped tables, to `userID`).
///
/// ```swift
/// let context = TenantContext(userID: session.userID, organizationID: session.organizationID)
/// let recent = try await store.withTenant(context) { repos in
///     try await repos.transactions.recent(limit: 20)
/// }
/// ```
public struct TenantContext: Sendable, Hashable {
    /// The user the work is done for (`app.current_user_id`).
    public let userID: UUID
    /// The organization whose rows the work may touch (`app.current_org_id`).
    public let organizationID: UUID

    /// Creates a context for `userID` acting in `organizationID`.
    public init(userID: UUID, organizationID: UUID) {
        self.userID = userID
        self.organizationID = organizationID
    }
}
