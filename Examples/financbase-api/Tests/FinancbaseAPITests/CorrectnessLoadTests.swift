import Financbase
import FinancbaseAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PGClient
import ServiceLifecycle
import Testing

/// Many concurrent requests from ten tenants, each response checked row by row against the
/// database's owner of that row: not one foreign row. CI runs 200 requests; `Scripts/load.sh`
/// runs 1,000 at once (`FINANCBASE_API_LOAD_REQUESTS`, `FINANCBASE_API_LOAD_CONNECTIONS`).
@Suite struct CorrectnessLoadTests {
    static let routes = ["/api/clients?limit=50", "/api/invoices?limit=50", "/api/expenses?limit=50", "/api/transactions?limit=50"]

    @Test func concurrentRequestsFromTenTenantsSeeOnlyTheirOwnRows() async throws {
        let environment = ProcessInfo.processInfo.environment
        let requests = environment["FINANCBASE_API_LOAD_REQUESTS"].flatMap(Int.init) ?? 200
        let connections = min(requests, environment["FINANCBASE_API_LOAD_CONNECTIONS"].flatMap(Int.init) ?? 100)
        let database = try await APITestServer.seededDatabase(organizations: SeedOrganization.examples(10))
        // Who owns each row, as the administrator sees it.
        let owners = try await PGConnection.withConnection(config: database.adminConfig) { connection in
            var owners: [UUID: UUID] = [:]
            for table in ["clients", "invoices", "expenses", "transactions"] {
                for row in try await connection.query(
                    "SELECT id, organization_id FROM financbase.\(unescaped: table)"
                ).collect() {
                    let (id, organization) = try row.decode((UUID, UUID).self)
                    owners[id] = organization
                }
            }
            return owners
        }
        var logger = Logger(label: "financbase-api-load-test")
        logger.logLevel = .error
        let (urls, announce) = AsyncStream.makeStream(of: String.self)
        let built = try await buildApplication(database.settings(maxConnections: 8), logger: logger) { announce.yield($0) }
        var signed: [String] = []
        for index in 0..<10 { signed.append(try await built.tokens.token(clerkUserID: database.clerkID(index))) }
        let tokens = signed
        let organizations = database.organizations.map(\.admin.organizationID)
        let group = ServiceGroup(services: [built.app], gracefulShutdownSignals: [], logger: logger)
        let tally = try await withThrowingTaskGroup(of: Tally?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = urls.makeAsyncIterator()
            let url = try #require(await iterator.next())
            let port = try #require(Int(url.split(separator: ":").last ?? ""))
            let perConnection = (requests + connections - 1) / connections
            let workers = try await withThrowingTaskGroup(of: Tally.self) { workers in
                for worker in 0..<connections {
                    workers.addTask {
                        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(600)))
                        client.connect()
                        var tally = Tally()
                        for step in 0..<perConnection where worker * perConnection + step < requests {
                            let number = worker * perConnection + step
                            let tenant = number % 10
                            var headers = HTTPFields()
                            headers[.authorization] = "Bearer \(tokens[tenant])"
                            let response = try await client.execute(
                                .init(Self.routes[number % Self.routes.count], method: .get, headers: headers))
                            tally.add(response, tenant: organizations[tenant], owners: owners)
                        }
                        try await client.shutdown()
                        return tally
                    }
                }
                return try await workers.reduce(into: Tally()) { $0.merge($1) }
            }
            await group.triggerGracefulShutdown()
            for try await _ in tasks {}
            return workers
        }
        #expect(tally.responses == requests)
        #expect(tally.failures == 0)
        #expect(tally.rows > requests)  // every tenant has rows in each list
        #expect(tally.foreignRows == 0)
    }

    /// What the responses held.
    struct Tally: Sendable {
        var responses = 0
        var failures = 0
        var rows = 0
        var foreignRows = 0

        mutating func add(_ response: TestClient.Response, tenant: UUID, owners: [UUID: UUID]) {
            responses += 1
            guard response.status == .ok, let body = response.body,
                let page = try? JSONDecoder().decode(PageOf<Row>.self, from: Data(buffer: body))
            else {
                failures += 1
                return
            }
            rows += page.items.count
            // A row the administrator does not know is foreign too.
            foreignRows += page.items.filter { owners[$0.id] != tenant }.count
        }

        mutating func merge(_ other: Tally) {
            responses += other.responses
            failures += other.failures
            rows += other.rows
            foreignRows += other.foreignRows
        }
    }
}
