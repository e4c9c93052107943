import Financbase
import Foundation
import PGClient
import PGWire

/// A provisioned tenant: an organization, its admin user and one client, made through the
/// repositories as an application would.
struct TenantFixture: Sendable {
    let context: TenantContext
    let clientID: UUID

    static func make(in store: FinancbaseStore, name: String = "Acme") async throws -> TenantFixture {
        let context = TenantContext(userID: UUID(), organizationID: UUID())
        let clientID = try await store.withTenant(context) { repos in
            _ = try await repos.organizations.createCurrent(name: name)
            _ = try await repos.users.create(
                id: context.userID, clerkID: "clerk_\(context.userID)", email: "owner@\(name.lowercased()).test",
                firstName: "Ada", lastName: "Lovelace", role: .admin)
            return try await repos.clients.create(name: "Client of \(name)", email: "billing@client.test").id
        }
        return TenantFixture(context: context, clientID: clientID)
    }
}

/// A numeric from its text; the tests' literals are all valid.
func numeric(_ text: String) throws -> PGNumeric {
    guard let value = PGNumeric(text) else { throw FixtureError.badNumeric(text) }
    return value
}

/// A date from its parts.
func date(_ year: Int, _ month: Int, _ day: Int) throws -> PGDate {
    guard let value = PGDate(year: year, month: month, day: day) else { throw FixtureError.badDate }
    return value
}

enum FixtureError: Error {
    case badNumeric(String)
    case badDate
}
