import Financbase
import FinancbaseAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PGClient
import PGLocalCluster
import ServiceLifecycle
import Synchronization
import Testing

/// Health, metrics, and a graceful shutdown that lets the requests in flight finish.
@Suite struct OperationsTests {
    @Test func readinessFollowsTheDatabase() async throws {
        // A cluster of its own: this test stops and starts the server.
        let cluster = try await PGLocalCluster.start(options: .init(isTLSEnabled: false))
        do {
            let database = try await APITestServer.seededDatabase(on: cluster, organizations: [SeedOrganization.demoPair[0]])
            try await withAPI(database) { client, _ in
                #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/health/ready", method: .get).status == .ok)
                try await cluster.stopServer()
                let down = try await client.execute(uri: "/health/ready", method: .get)
                #expect(down.status == .serviceUnavailable)
                #expect(try down.json(Problem.self).code == "not_ready")
                #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
                try await cluster.startServer()
                // The pool reconnects with a short backoff; the bound only catches a hang.
                let deadline = ContinuousClock.now + .seconds(120)
                var ready = false
                while !ready && ContinuousClock.now < deadline {
                    ready = try await client.execute(uri: "/health/ready", method: .get).status == .ok
                    if !ready { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(ready)
            }
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
    }

    @Test func metricsCountRoutesPoolAndQueries() async throws {
        let database = try await APITestServer.seededDatabase()
        try await withAPI(database) { client, harness in
            _ = try await client.execute(uri: "/api/dashboard", method: .get, headers: harness.auth(0))
            _ = try await client.execute(uri: "/api/clients/\(UUID())", method: .get, headers: harness.auth(0))
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.contains(#"http_server_requests_total{route="/api/dashboard",method="GET",status="200"} 1"#))
            #expect(text.contains(#"http_server_requests_total{route="/api/clients/{id}",method="GET",status="404"} 1"#))
            #expect(text.contains("http_server_request_duration_seconds_bucket"))
            #expect(text.contains("financbase_query_duration_seconds"))
            #expect(text.contains("db_client_connection"))
        }
    }

    /// SIGTERM's path: the server stops taking requests, the one in flight (held on a row lock)
    /// finishes with its answer, then the pool drains and every connection closes.
    @Test func gracefulShutdownFinishesTheRequestInFlight() async throws {
        let database = try await APITestServer.seededDatabase()
        var logger = Logger(label: "financbase-api-shutdown-test")
        logger.logLevel = .error
        let (urls, announce) = AsyncStream.makeStream(of: String.self)
        let built = try await buildApplication(database.settings(), logger: logger) { announce.yield($0) }
        let group = ServiceGroup(services: [built.app], gracefulShutdownSignals: [], logger: logger)
        let admin = try await PGConnection.connect(config: database.adminConfig)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = urls.makeAsyncIterator()
            let url = try #require(await iterator.next())
            let port = try #require(Int(url.split(separator: ":").last ?? ""))

            // An invoice whose row the test locks, so a payment on it waits.
            let invoice = try await admin.query(
                "SELECT id FROM financbase.invoices WHERE status = 'sent' AND total - amount_paid >= 1 LIMIT 1"
            ).collect().first?.decode(UUID.self)
            let invoiceID = try #require(invoice)
            try await admin.simpleQuery("BEGIN")
            try await admin.execute("SELECT 1 FROM financbase.invoices WHERE id = \(invoiceID) FOR UPDATE")

            let client = TestClient(host: "127.0.0.1", port: port)
            client.connect()
            var headers = try await built.tokens.token(clerkUserID: database.clerkID(0)).asBearer
            headers[.init("Idempotency-Key")!] = "shutdown-test"
            let body = try jsonBody(["invoiceID": invoiceID.uuidString, "amount": "1.00", "method": "cash"])
            let inFlight = Task {
                try await client.execute(.init("/api/payments", method: .post, headers: headers, body: body)).status
            }
            // Wait until the request holds a connection and waits on the lock.
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                let waiting = try await PGConnection.withConnection(config: database.adminConfig) { probe in
                    try await probe.query(
                        "SELECT count(*)::int4 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND usename = 'financbase_app'"
                    ).collect().first?.decode(Int32.self)
                }
                if waiting == 1 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            await group.triggerGracefulShutdown()
            try await Task.sleep(for: .milliseconds(300))
            try await admin.simpleQuery("COMMIT")
            #expect(try await inFlight.value == .created)
            try await client.shutdown()
            try await tasks.next()
        }
        await admin.close()
        #expect(built.pool.statistics.open == 0)
    }
}

extension String {
    /// An `Authorization` header with this bearer token.
    var asBearer: HTTPFields {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(self)"
        return headers
    }
}
