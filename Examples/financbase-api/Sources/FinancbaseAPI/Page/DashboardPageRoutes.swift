import Financbase
import Foundation
import Hummingbird
import Mustache

/// `GET /dashboard`: the tenant's dashboard as HTML, rendered on the server from the same
/// figures as `GET /api/dashboard`. The token comes from the `Authorization` header or from the
/// `financbase_token` cookie that `POST /dashboard/sign-in` sets (HttpOnly, SameSite=Lax, for
/// this page only: the `/api` routes take the header alone, so no cookie can act for them).
struct DashboardPageRoutes<Context: RequestContext>: Sendable {
    let gate: TenantGate
    let templates: MustacheLibrary

    static var cookieName: String { "financbase_token" }

    /// Loads the templates bundled with the module.
    ///
    /// - Throws: ``APIProblem`` when they are missing, swift-mustache's error when one does not
    ///   parse (a broken build, either way).
    static func loadTemplates() async throws -> MustacheLibrary {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw APIProblem(status: .internalServerError, code: "internal", detail: "the page templates are missing")
        }
        return try await MustacheLibrary(directory: folder)
    }

    func add(to router: Router<Context>) {
        router.get("dashboard") { request, context in
            let authorization =
                request.headers[.authorization] ?? request.cookies[Self.cookieName].map { "Bearer \($0.value)" }
            guard authorization != nil else { return html(signIn("Sign in with a bearer token."), status: .unauthorized) }
            do {
                let dashboard = try await gate.run(authorization: authorization, context) { repos in
                    try await DashboardJSON.load(repos, today: Seeder.currentDay())
                }
                return html(templates.render(DashboardPage(dashboard), withTemplate: "dashboard") ?? "", status: .ok)
            } catch let problem as APIProblem where problem.status == .unauthorized {
                return html(signIn("That token is not valid: \(problem.detail)."), status: .unauthorized)
            }
        }
        router.post("dashboard/sign-in") { request, context in
            let form = try await URLEncodedFormDecoder().decode(SignInForm.self, from: request, context: context)
            // Checked before it becomes a cookie; no database is reached.
            _ = try await gate.tokens.claims(fromAuthorization: "Bearer \(form.token)")
            var response = Response(status: .seeOther, headers: [.location: "/dashboard"])
            response.setCookie(
                Cookie(name: Self.cookieName, value: form.token, path: "/dashboard", httpOnly: true, sameSite: .lax))
            return response
        }
    }

    private func signIn(_ message: String) -> String {
        templates.render(["message": message], withTemplate: "sign-in") ?? message
    }

    private func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The sign-in form's body.
struct SignInForm: Decodable, Sendable {
    var token: String
}
