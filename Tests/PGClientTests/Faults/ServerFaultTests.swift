import Logging
import PGClient
import PGLocalCluster
import Testing

/// The server ends sessions on purpose (terminate, its own timeouts, full connection slots):
/// each caller gets a typed error, the connection is closed or usable — never half-way — and the
/// database holds nothing half-done.
@Suite("Server faults")
struct ServerFaultTests {
    static func terminate(_ pid: Int32) async throws {
        try await TestDatabase.withConnection { killer in
            let done = try await killer.query("SELECT pg_terminate_backend(\(pid), 5000)").collect()
            #expect(try done.first?.decode(Bool.self, at: 0) == true)
        }
    }

    @Test func aBackendTerminatedMidCopyInFailsTheCopyAndKeepsNoRow() async throws {
        let table = "copy_fault_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await TestDatabase.withConnection { try await $0.simpleQuery("CREATE TABLE \(table) (id int4, memo text)") }
        let connection = try await TestDatabase.connect()
        let pid = try #require(connection.backendKeyData?.processID)
        let error = await #expect(throws: (any Error).self) {
            try await connection.copyIn("COPY \(table) (id, memo) FROM STDIN (FORMAT binary)") { writer in
                for id in Int32(1)...2_000_000 {
                    try await writer.append(id, "row \(id)")
                    if id == 10_000 { try await Self.terminate(pid) }  // mid-COPY, data already sent
                }
            }
        }
        let pgError = try #require(error as? PGError, "\(String(describing: error))")
        #expect(pgError.kind == .connectionClosed || pgError.sqlState == .adminShutdown, "\(pgError)")
        #expect(pgError.isSafeToRetry == false)
        #expect(connection.isClosed)
        #expect(try await TestDatabase.withConnection { try await $0.scalar("SELECT count(*) FROM \(table)") } == "0")
    }

    @Test func aBackendTerminatedMidPipelineFailsEveryStatementAndKeepsNoneOfTheTransaction() async throws {
        let table = "pipeline_fault_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await TestDatabase.withConnection { try await $0.simpleQuery("CREATE TABLE \(table) (id int4)") }
        let connection = try await TestDatabase.connect()
        let pid = try #require(connection.backendKeyData?.processID)
        try await connection.simpleQuery("BEGIN")
        try await connection.execute("INSERT INTO \(unescaped: table) VALUES (0)")
        // The pipeline's third statement waits for the terminate, which ends the session.
        async let results = connection.pipeline([
            "INSERT INTO \(unescaped: table) VALUES (1)",
            "INSERT INTO \(unescaped: table) VALUES (2)",
            "SELECT pg_sleep(60)",
            "INSERT INTO \(unescaped: table) VALUES (3)",
        ], sync: .once)
        try await ServerFaultSupport.waitUntilRunning(pid: pid, startingWith: "SELECT pg_sleep")
        try await Self.terminate(pid)
        let outcome = try? await results
        // Either the whole pipeline fails, or each of its results is a failure: nothing succeeded
        // after the transaction died.
        if let outcome {
            #expect(outcome[2...].allSatisfy { (try? $0.get()) == nil })
        }
        #expect(connection.isClosed)
        #expect(try await TestDatabase.withConnection { try await $0.scalar("SELECT count(*) FROM \(table)") } == "0")
    }

    @Test func idleInTransactionTimeoutEndsTheSessionAndTheNextCallIsTold() async throws {
        let table = "idle_fault_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await TestDatabase.withConnection { try await $0.simpleQuery("CREATE TABLE \(table) (id int4)") }
        let connection = try await TestDatabase.connect()
        let pid = try #require(connection.backendKeyData?.processID)
        // One round trip, so that the session is idle in the transaction only once the row is
        // inserted, however slow the machine.
        try await connection.simpleQuery(
            "SET idle_in_transaction_session_timeout = '200ms'; BEGIN; INSERT INTO \(table) VALUES (1)")
        try await ServerFaultSupport.waitUntilGone(pid: pid)
        let error = await #expect(throws: PGError.self) { try await connection.execute("COMMIT") }
        let kind = try #require(error?.kind)
        #expect(kind == .connectionClosed || error?.sqlState == .idleInTransactionSessionTimeout, "\(String(describing: error))")
        #expect(connection.isClosed)
        #expect(try await TestDatabase.withConnection { try await $0.scalar("SELECT count(*) FROM \(table)") } == "0")
    }

    @Test func fullConnectionSlotsAreATypedRetryableErrorAndThePoolRecovers() async throws {
        // A role limited to two sessions stands for a server whose max_connections is reached:
        // the same SQLSTATE (53300), the same refusal at startup.
        let cluster = try await SharedCluster.instance.cluster
        let role = "limited_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await TestDatabase.withConnection {
            try await $0.simpleQuery("CREATE ROLE \(role) LOGIN PASSWORD 'limited' CONNECTION LIMIT 2")
        }
        var config = try cluster.clientConfig(sslmode: .disable)
        config.user = role
        config.password = "limited"
        let first = try await PGConnection.connect(config: config)
        let second = try await PGConnection.connect(config: config)
        let refused = await #expect(throws: PGError.self) { try await PGConnection.connect(config: config) }
        #expect(refused?.sqlState == .tooManyConnections, "\(String(describing: refused))")
        #expect(refused?.isSafeToRetry == true)

        var poolConfig = PGPool.Configuration(connection: config)
        poolConfig.maxConnections = 1
        poolConfig.acquireTimeout = .milliseconds(500)
        poolConfig.connectBackoffInitial = .milliseconds(20)
        poolConfig.connectBackoffMaximum = .milliseconds(100)
        var logger = Logger(label: "server-faults")
        logger.logLevel = .error
        try await PGPool.withPool(config: poolConfig, logger: logger) { (pool: PGPool) async throws in
            let waiting = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
            #expect(waiting?.isSafeToRetry == true, "\(String(describing: waiting))")
            await second.close()
            // A slot is free: the pool's next attempt gets it (ordered by retrying, bounded).
            var answer: [PGRow]?
            var attempts = 0
            while answer == nil, attempts < 200 {
                attempts += 1
                answer = try? await pool.query("SELECT 'in'")
            }
            #expect(try answer?.first?.decode(String.self, at: 0) == "in")
        }
        await first.close()
    }
}

/// Orders fault tests by what the server reports, never by sleeping for a guessed time.
enum ServerFaultSupport {
    static func waitUntilRunning(pid: Int32, startingWith prefix: String) async throws {
        try await CancellationTests.waitUntilRunning(pid: pid, startingWith: prefix)
    }

    /// Waits until backend `pid` has ended (bounded; the bound only catches a hang).
    static func waitUntilGone(pid: Int32) async throws {
        try await TestDatabase.withConnection { observer in
            for _ in 0..<3000 {
                let count = try await observer.query("SELECT count(*)::int4 FROM pg_stat_activity WHERE pid = \(pid)")
                    .collect()[0].decode(Int32.self, at: 0)
                if count == 0 { return }
                try await Task.sleep(for: .milliseconds(10))
            }
            Issue.record("backend \(pid) is still there")
        }
    }
}
