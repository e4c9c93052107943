import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /dashboard`: the HTML page, its sign-in, and its figures against the API's.
@Suite struct DashboardPageTests {
    @Test func signInThenThePageShowsTheAPIsFigures() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            let anonymous = try await client.execute(uri: "/dashboard", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(String(buffer: anonymous.body).contains("<form method=\"post\" action=\"/dashboard/sign-in\">"))

            let token = try await harness.tokens.token(clerkUserID: database.clerkID(0))
            var form = HTTPFields()
            form[.contentType] = "application/x-www-form-urlencoded"
            let signedIn = try await client.execute(
                uri: "/dashboard/sign-in", method: .post, headers: form, body: ByteBuffer(string: "token=\(token)"))
            #expect(signedIn.status == .seeOther)
            let cookie = try #require(signedIn.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))

            var withCookie = HTTPFields()
            withCookie[.cookie] = "financbase_token=\(token)"
            let page = try await client.execute(uri: "/dashboard", method: .get, headers: withCookie)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("<svg id=\"chart\""))
            #expect(html.components(separatedBy: "<rect ").count - 1 == 12)

            // Each aging figure on the page is the API's.
            let api = try await client.execute(uri: "/api/dashboard", method: .get, headers: harness.auth(0))
            struct Aging: Decodable {
                var status: String
                var bucket: String
                var currency: String
                var outstanding: String
            }
            struct Dashboard: Decodable { var invoiceAging: [Aging] }
            let aging = try api.json(Dashboard.self).invoiceAging
            #expect(!aging.isEmpty)
            for row in aging {
                #expect(html.contains("data-check=\"aging:\(row.status):\(row.bucket):\(row.currency)\">\(row.outstanding)<"))
            }

            // The cookie acts for the page only: the API takes the header alone.
            let apiByCookie = try await client.execute(uri: "/api/dashboard", method: .get, headers: withCookie)
            #expect(apiByCookie.status == .unauthorized)

            let forged = try await client.execute(
                uri: "/dashboard/sign-in", method: .post, headers: form, body: ByteBuffer(string: "token=abc.def.ghi"))
            #expect(forged.status == .unauthorized)
        }
    }
}
