/// What goes wrong in a tenant unit of work before or after its statements run. Errors of the
/// statements themselves (a policy's `42501`, a unique violation) arrive as `PGError`, unchanged.
///
/// ```swift
/// do {
///     try await store.withTenant(context) { repos in try await repos.invoices.list() }
/// } catch let error as FinancbaseError {
///     logger.error("tenant unit failed", metadata: ["error": "\(error)"])
/// }
/// ```
public enum FinancbaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server did not report the tenant context the unit asked for after `set_config`; the
    /// transaction was rolled back and no statement of the unit ran.
    case contextNotApplied(expected: TenantContext, organization: String?, user: String?)
    /// A repository (or its session) was used after its unit of work had ended: it escaped the
    /// `withTenant` closure. Nothing was sent.
    case sessionEnded(statement: String)
    /// The server's answer to the statements that open a unit was not what they return (no row,
    /// too few columns); the transaction was rolled back.
    case unexpectedResponse(String)
    /// ``FinancbaseStore/withTenant(isolation:clerkID:logger:_:)`` found no active user with this Clerk
    /// id (unknown, or deactivated: the server does not say which). No context was set, the
    /// transaction was rolled back and the closure did not run.
    case signInRefused(clerkID: String)

    public var description: String {
        switch self {
        case .contextNotApplied(let expected, let organization, let user):
            "the tenant context did not take: asked for organization \(expected.organizationID) and user "
                + "\(expected.userID), the server reports organization \(organization ?? "NULL") and user \(user ?? "NULL")"
        case .sessionEnded(let statement):
            "statement \(statement) was issued after its tenant unit of work had ended; "
                + "repositories must not be kept beyond the withTenant closure"
        case .unexpectedResponse(let what):
            "unexpected response while opening a tenant unit of work: \(what)"
        case .signInRefused(let clerkID):
            "no active user has Clerk id \(clerkID); no tenant context was set"
        }
    }
}
