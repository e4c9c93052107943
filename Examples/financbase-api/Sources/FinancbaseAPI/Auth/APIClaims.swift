public import FoundationEssentials
public import JWTKit

/// The claims of a bearer token: the Clerk user (`sub`), optionally the organization (`org`),
/// and the expiry (`exp`, required).
public struct APIClaims: JWTPayload, Equatable {
    /// The Clerk user id.
    public var sub: SubjectClaim
    /// The expiry.
    public var exp: ExpirationClaim
    /// The organization the caller means, when the token names one; it must be the user's.
    public var org: String?

    /// Creates claims for `clerkUserID`, valid until `expires`.
    public init(clerkUserID: String, organizationID: String? = nil, expires: Date) {
        self.sub = SubjectClaim(value: clerkUserID)
        self.exp = ExpirationClaim(value: expires)
        self.org = organizationID
    }

    /// Checks the expiry (the signature was checked before).
    ///
    /// - Throws: JWTKit's `JWTError` when the token has expired.
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
