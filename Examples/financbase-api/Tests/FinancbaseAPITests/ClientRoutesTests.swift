import Foundation
import HummingbirdTesting
import Testing

/// `/api/clients`: create, get, update, keyset pages, and another tenant's row as a 404.
@Suite struct ClientRoutesTests {
    struct ClientBody: Decodable {
        var id: UUID
        var name: String
        var email: String
        var status: String
    }

    @Test func createGetUpdateAndPage() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            let auth = try await harness.auth(0)
            let created = try await client.execute(
                uri: "/api/clients", method: .post, headers: auth,
                body: jsonBody(["name": "Acme Ltd", "email": "billing@acme.example", "currency": "EUR"]))
            #expect(created.status == .created)
            let body = try created.json(ClientBody.self)
            #expect(body.name == "Acme Ltd")

            let fetched = try await client.execute(uri: "/api/clients/\(body.id)", method: .get, headers: auth)
            #expect(fetched.status == .ok)
            #expect(try fetched.json(ClientBody.self).email == "billing@acme.example")

            let updated = try await client.execute(
                uri: "/api/clients/\(body.id)", method: .patch, headers: auth,
                body: jsonBody(["name": "Acme GmbH", "status": "inactive"]))
            #expect(updated.status == .ok)
            let after = try updated.json(ClientBody.self)
            #expect(after.name == "Acme GmbH" && after.status == "inactive" && after.email == "billing@acme.example")

            let badStatus = try await client.execute(
                uri: "/api/clients/\(body.id)", method: .patch, headers: auth, body: jsonBody(["status": "gone"]))
            #expect(badStatus.status == .badRequest)
            #expect(try badStatus.json(Problem.self).code == "invalid_value")

            // Every row once, page by page, in order, following `next`.
            var seen: [UUID] = []
            var uri = "/api/clients?limit=3"
            while true {
                let page = try await client.execute(uri: uri, method: .get, headers: auth)
                #expect(page.status == .ok)
                let rows = try page.json(PageOf<Row>.self)
                seen += rows.items.map(\.id)
                guard let next = rows.next else { break }
                uri = "/api/clients?limit=3&after=\(next)"
            }
            #expect(seen.count == Set(seen).count)
            #expect(seen.contains(body.id))
            let all = try await client.execute(uri: "/api/clients?limit=200", method: .get, headers: auth)
            #expect(try all.json(PageOf<Row>.self).items.map(\.id) == seen)

            let badCursor = try await client.execute(uri: "/api/clients?after=zzz", method: .get, headers: auth)
            #expect(try badCursor.json(Problem.self).code == "invalid_cursor")
        }
    }

    @Test func anotherTenantsClientIsNotFound() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            let mine = try await client.execute(uri: "/api/clients?limit=1", method: .get, headers: harness.auth(0))
            let id = try #require(try mine.json(PageOf<Row>.self).items.first?.id)
            let theirs = try await client.execute(uri: "/api/clients/\(id)", method: .get, headers: harness.auth(1))
            #expect(theirs.status == .notFound)
            #expect(try theirs.json(Problem.self).code == "not_found")
            let patched = try await client.execute(
                uri: "/api/clients/\(id)", method: .patch, headers: harness.auth(1), body: jsonBody(["name": "Mine now"]))
            #expect(patched.status == .notFound)
            // Unchanged for its owner.
            let still = try await client.execute(uri: "/api/clients/\(id)", method: .get, headers: harness.auth(0))
            #expect(try still.json(ClientBody.self).name != "Mine now")
        }
    }
}
