public import FoundationEssentials
import JWTKit

/// Checks bearer tokens signed with HMAC-SHA-256, and signs them (for `serve.sh`'s demo token
/// and the tests).
///
/// ```swift
/// let tokens = await TokenVerifier(key: settings.jwtKey)
/// let claims = try await tokens.claims(fromAuthorization: request.headers[.authorization])
/// ```
public struct TokenVerifier: Sendable {
    let keys: JWTKeyCollection

    /// A verifier for tokens signed with `key` (HS256).
    public init(key: String) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: key), digestAlgorithm: .sha256)
        self.keys = keys
    }

    /// The verified claims of an `Authorization: Bearer …` header value.
    ///
    /// - Throws: ``APIProblem`` 401 `missing_token` when there is no bearer token,
    ///   `invalid_token` when its signature, form or expiry does not hold.
    public func claims(fromAuthorization header: String?) async throws(APIProblem) -> APIClaims {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIProblem.unauthorized(code: "missing_token", detail: "an Authorization: Bearer token is required")
        }
        let token = String(header.dropFirst(7))
        do {
            return try await keys.verify(token, as: APIClaims.self)
        } catch {
            throw APIProblem.unauthorized(code: "invalid_token", detail: "the bearer token is forged, malformed or expired")
        }
    }

    /// A signed token for `clerkUserID`, valid for `lifetime`.
    ///
    /// - Throws: JWTKit's errors when the claims cannot be encoded.
    public func token(
        clerkUserID: String, organizationID: String? = nil, lifetime: Duration = .seconds(3_600), now: Date = Date()
    ) async throws -> String {
        let seconds = Double(lifetime.components.seconds)
        return try await keys.sign(
            APIClaims(clerkUserID: clerkUserID, organizationID: organizationID, expires: now.addingTimeInterval(seconds)))
    }
}
