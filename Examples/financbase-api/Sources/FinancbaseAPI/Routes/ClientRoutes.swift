import Financbase
import FoundationEssentials
import Hummingbird

/// A client as the API shows it.
struct ClientJSON: ResponseEncodable, Sendable {
    var id: UUID
    var name: String
    var email: String
    var company: String?
    var country: String
    var currency: String
    var paymentTermsDays: Int32
    var status: String
    var notes: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ client: Client) {
        id = client.id
        name = client.name
        email = client.email
        company = client.company
        country = client.country
        currency = client.currency
        paymentTermsDays = client.paymentTermsDays
        status = client.status.rawValue
        notes = client.notes
        createdAt = client.createdAt
        updatedAt = client.updatedAt
    }
}

/// A new client, or the fields of one to change (absent fields stay as they are).
struct ClientInput: Decodable, Sendable {
    var name: String?
    var email: String?
    var company: String?
    var country: String?
    var currency: String?
    var paymentTermsDays: Int32?
    var status: String?
    var notes: String?
}

extension APIRoutes {
    /// `/api/clients`: list, get, create, update.
    func addClientRoutes(to api: RouterGroup<Context>) {
        api.get("clients") { request, context in
            let query = try ListQuery(request)
            return try await gate.run(request, context) { repos in
                PageJSON(try await repos.clients.list(after: query.after, limit: query.limit), ClientJSON.init)
            }
        }
        api.get("clients/:id") { request, context in
            let id = try context.parameters.uuid("id")
            return try await gate.run(request, context) { repos in ClientJSON(try await repos.clients.get(id)) }
        }
        api.post("clients") { request, context in
            let input = try await request.decode(as: ClientInput.self, context: context)
            guard let name = input.name, let email = input.email else {
                throw APIProblem(status: .badRequest, code: "missing_field", detail: "name and email are required")
            }
            let created = try await gate.run(request, context) { repos in
                ClientJSON(
                    try await repos.clients.create(
                        name: name, email: email, company: input.company, currency: input.currency ?? "USD",
                        paymentTermsDays: input.paymentTermsDays ?? 30, country: input.country ?? "US"))
            }
            return EditedResponse(status: .created, response: created)
        }
        api.patch("clients/:id") { request, context in
            let id = try context.parameters.uuid("id")
            let input = try await request.decode(as: ClientInput.self, context: context)
            let status = try input.status.map { text throws(APIProblem) in
                try EnumText.decode(text, as: ClientStatus.self, field: "status")
            }
            return try await gate.run(request, context) { repos in
                var client = try await repos.clients.get(id)
                if let name = input.name { client.name = name }
                if let email = input.email { client.email = email }
                if let company = input.company { client.company = company }
                if let country = input.country { client.country = country }
                if let currency = input.currency { client.currency = currency }
                if let days = input.paymentTermsDays { client.paymentTermsDays = days }
                if let status { client.status = status }
                if let notes = input.notes { client.notes = notes }
                return ClientJSON(try await repos.clients.update(client))
            }
        }
    }
}
