import PGClient

/// Where a unit of work's tenant context comes from.
enum TenantSource: Sendable {
    /// Ids the caller already holds.
    case context(TenantContext)
    /// A Clerk id, resolved by the server's sign-in lookup inside the unit's transaction.
    case clerk(String)

    /// The statement that sets the context for the transaction and returns what `set_config`
    /// set, one row of (organization, user); for a Clerk id without an active user, no row and
    /// nothing set.
    var setContextQuery: PGQuery {
        switch self {
        case .context(let context):
            """
            SELECT set_config('app.current_org_id', \(context.organizationID.uuidString.lowercased()), true), \
            set_config('app.current_user_id', \(context.userID.uuidString.lowercased()), true)
            """
        case .clerk(let clerkID):
            """
            SELECT set_config('app.current_org_id', i.organization_id::text, true), \
            set_config('app.current_user_id', i.user_id::text, true) FROM app.identity_for_clerk(\(clerkID)) AS i
            """
        }
    }
}
