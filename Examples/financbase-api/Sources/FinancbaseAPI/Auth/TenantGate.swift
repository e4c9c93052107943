public import Financbase
public import Hummingbird

/// Runs a request's work as its caller's tenant: the bearer token is checked first (a missing,
/// expired or forged one is a 401 before any connection is leased), then the whole work runs in
/// one `withTenant` unit signed in by the token's Clerk user, with the request's logger (and so
/// its request id) on the driver's lines.
public struct TenantGate: Sendable {
    /// The data layer.
    public let store: FinancbaseStore
    /// The token checker.
    public let tokens: TokenVerifier

    /// Creates a gate.
    public init(store: FinancbaseStore, tokens: TokenVerifier) {
        self.store = store
        self.tokens = tokens
    }

    /// Runs `body` in one tenant unit for the request's `Authorization: Bearer` token.
    ///
    /// - Throws: ``APIProblem`` always: 401 for the token or an unknown user, 403 when the
    ///   token's `org` is not the user's organization, otherwise what ``APIProblem`` makes of
    ///   `body`'s error.
    public func run<Result: Sendable>(
        _ request: Request, _ context: some RequestContext,
        _ body: (TenantRepositories) async throws -> Result
    ) async throws(APIProblem) -> Result {
        try await run(authorization: request.headers[.authorization], context, body)
    }

    /// Runs `body` in one tenant unit for `authorization`, an `Authorization` header's value.
    ///
    /// - Throws: as ``run(_:_:_:)``.
    public func run<Result: Sendable>(
        authorization: String?, _ context: some RequestContext,
        _ body: (TenantRepositories) async throws -> Result
    ) async throws(APIProblem) -> Result {
        let claims = try await tokens.claims(fromAuthorization: authorization)
        do {
            return try await store.withTenant(clerkID: claims.sub.value, logger: context.logger) { repos in
                if let organization = claims.org,
                    organization.lowercased() != repos.context.organizationID.uuidString.lowercased()
                {
                    throw APIProblem(
                        status: .forbidden, code: "organization_mismatch",
                        detail: "the token's organization is not its user's")
                }
                return try await body(repos)
            }
        } catch {
            throw APIProblem.from(error, logger: context.logger)
        }
    }
}
