/// The repositories of one tenant unit of work, handed to the closure of
/// ``FinancbaseStore/withTenant(isolation:_:logger:_:)``.
///
/// Each repository is a property added by its own file
/// (`extension TenantRepositories { public var invoices: InvoiceRepository { … } }`), built on the
/// same ``TenantSession``, so all of them run in the unit's one transaction. They are valid only
/// inside that closure.
public struct TenantRepositories: Sendable {
    /// The session every repository of this unit uses.
    let session: TenantSession

    /// The tenant this unit of work acts for.
    public var context: TenantContext { session.context }

    /// The context user's role as the server read it when the unit began (`nil`: an unknown or
    /// deactivated user, who can do nothing). For display only: the server's policies decide
    /// every statement by the role they read themselves.
    public var role: UserRole? { session.role }

    init(session: TenantSession) {
        self.session = session
    }
}
