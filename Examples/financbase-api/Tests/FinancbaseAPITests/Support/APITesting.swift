import FinancbaseAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PGClient
import Prometheus
import Testing

/// Runs `body` against the whole service (pool and server in their `ServiceGroup`, on a free
/// port) over `database`.
func withAPI<Value: Sendable>(
    _ database: APITestDatabase, maxConnections: Int = 4,
    _ body: @Sendable (any TestClientProtocol, APIHarness) async throws -> Value
) async throws -> Value {
    var logger = Logger(label: "financbase-api-test")
    logger.logLevel = .error
    let built = try await buildApplication(database.settings(maxConnections: maxConnections), logger: logger)
    let harness = APIHarness(database: database, pool: built.pool, tokens: built.tokens, registry: built.registry)
    return try await built.app.test(.live) { client in try await body(client, harness) }
}

/// What a test needs beside the client: tokens, the pool, the metrics.
struct APIHarness: Sendable {
    let database: APITestDatabase
    let pool: PGPool
    let tokens: TokenVerifier
    let registry: PrometheusCollectorRegistry

    /// An `Authorization` header for the admin of organization `index`.
    func auth(_ index: Int) async throws -> HTTPFields {
        try await bearer(tokens.token(clerkUserID: database.clerkID(index)))
    }

    func bearer(_ token: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        return headers
    }
}

extension TestResponse {
    /// The body decoded as `type`.
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(buffer: body))
    }
}

/// A JSON body.
func jsonBody(_ object: [String: Any]) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}

/// A problem+json document as the tests read it.
struct Problem: Decodable {
    var status: Int
    var code: String
    var detail: String
}

/// A page as the tests read it.
struct PageOf<Item: Decodable>: Decodable {
    var items: [Item]
    var next: String?
}

/// The fields of any row the tests read.
struct Row: Decodable, Hashable {
    var id: UUID
}
