import FinancbaseAPI
import Foundation
import HummingbirdTesting
import JWTKit
import Testing

/// Bearer tokens: a missing, expired or forged one is a 401 problem and reaches no database.
@Suite struct AuthTests {
    @Test func badTokensAre401ProblemsAndOpenNoConnection() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            let missing = try await client.execute(uri: "/api/clients", method: .get)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.contentType] == "application/problem+json")
            #expect(try missing.json(Problem.self).code == "missing_token")

            let forger = await TokenVerifier(key: "another-key-another-key-another-key-0")
            let forged = try await forger.token(clerkUserID: database.clerkID(0))
            let expired = try await harness.tokens.token(
                clerkUserID: database.clerkID(0), lifetime: .seconds(60), now: Date().addingTimeInterval(-3_600))
            for token in [forged, expired, "not.a.token"] {
                let response = try await client.execute(uri: "/api/dashboard", method: .get, headers: harness.bearer(token))
                #expect(response.status == .unauthorized)
                #expect(try response.json(Problem.self).code == "invalid_token")
            }
            // No query: the pool (no minimum connections) never opened one.
            #expect(harness.pool.statistics.created == 0)

            // A valid token for a Clerk id nobody has: 401 after the server's lookup.
            let stranger = try await harness.tokens.token(clerkUserID: "user_nobody")
            let refused = try await client.execute(uri: "/api/clients", method: .get, headers: harness.bearer(stranger))
            #expect(refused.status == .unauthorized)
            #expect(try refused.json(Problem.self).code == "unknown_user")

            let good = try await client.execute(uri: "/api/clients", method: .get, headers: harness.auth(0))
            #expect(good.status == .ok)
        }
    }

    @Test func aTokensOrganizationMustBeItsUsers() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            let other = database.organizations[1].admin.organizationID.uuidString
            let token = try await harness.tokens.token(clerkUserID: database.clerkID(0), organizationID: other)
            let response = try await client.execute(uri: "/api/clients", method: .get, headers: harness.bearer(token))
            #expect(response.status == .forbidden)
            #expect(try response.json(Problem.self).code == "organization_mismatch")
        }
    }
}
