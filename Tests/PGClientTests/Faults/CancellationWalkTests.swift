import Logging
import PGClient
import PGLocalCluster
import Testing

/// Cancels the calling task at many points of every kind of call (before it is sent, while the
/// server works, while results arrive, between the steps of a transaction or a COPY). Whatever
/// the call reports, afterwards the connection is idle and usable or closed — never left inside
/// a transaction or a result — and the database holds each unit wholly or not at all.
///
/// The links go through a fault proxy that adds latency, so that the cancel points spread over
/// every step; the outcome, not the timing, is asserted.
@Suite("Cancellation at every step")
struct CancellationWalkTests {
    /// How long after the start each cancel comes.
    static let delays: [Duration] = [.zero, .milliseconds(1), .milliseconds(3), .milliseconds(8), .milliseconds(15), .milliseconds(30), .milliseconds(60)]

    /// One kind of call, run on `connection` against `table`.
    enum Operation: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case query, stream, pipeline, transaction, transactionBody, copyIn, copyOut, prepare

        var testDescription: String { rawValue }

        func run(on connection: PGConnection, table: String, unit: Int32) async throws {
            switch self {
            case .query:
                _ = try await connection.query("SELECT pg_sleep(0.02), \(unit)").collect()
            case .stream:
                for try await _ in try await connection.query("SELECT g FROM generate_series(1, 20000) g") {}
            case .pipeline:
                _ = try await connection.pipeline([
                    "INSERT INTO \(unescaped: table) (unit, part) VALUES (\(unit), 1)",
                    "SELECT pg_sleep(0.01)",
                    "INSERT INTO \(unescaped: table) (unit, part) VALUES (\(unit), 2)",
                ])
            case .transaction:
                try await connection.withTransaction { connection in
                    try await connection.execute("INSERT INTO \(unescaped: table) (unit, part) VALUES (\(unit), 1)")
                    try await connection.execute("SELECT pg_sleep(0.01)")
                    try await connection.execute("INSERT INTO \(unescaped: table) (unit, part) VALUES (\(unit), 2)")
                }
            case .transactionBody:
                // The body itself notices the cancellation and throws: ROLLBACK must still run.
                try await connection.withTransaction { connection in
                    try await connection.execute("INSERT INTO \(unescaped: table) (unit, part) VALUES (\(unit), 1)")
                    try await Task.sleep(for: .milliseconds(10))
                    try await connection.execute("INSERT INTO \(unescaped: table) (unit, part) VALUES (\(unit), 2)")
                }
            case .copyIn:
                try await connection.copyIn("COPY \(table) (unit, part) FROM STDIN (FORMAT binary)") { writer in
                    for part in Int32(1)...2000 { try await writer.append(unit, part) }
                }
            case .copyOut:
                for try await _ in try await connection.copyOut("COPY (SELECT g FROM generate_series(1, 20000) g) TO STDOUT") {}
            case .prepare:
                let statement = try await connection.prepare("SELECT $1::int4 + 1", parameters: Int32.self)
                _ = try await connection.query(statement, unit).collect()
                try await connection.deallocate(statement)
            }
        }

        /// Whether a unit of this operation must be all-or-nothing (its rows in `table`).
        var isAtomic: Bool {
            switch self {
            case .pipeline, .transaction, .transactionBody, .copyIn: true
            default: false
            }
        }

        var rowsPerUnit: Int {
            switch self {
            case .copyIn: 2000
            case .pipeline, .transaction, .transactionBody: 2
            default: 0
            }
        }
    }

    @Test(arguments: Operation.allCases)
    func cancellingLeavesTheConnectionIdleOrClosedAndEachUnitWhole(_ operation: Operation) async throws {
        let table = "walk_\(operation.rawValue)_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await TestDatabase.withConnection {
            try await $0.simpleQuery("CREATE TABLE \(table) (unit int4, part int4)")
        }
        try await withFaultProxy { proxy, config in
            proxy.faults = [.latency(.milliseconds(2))]
            var connection = try await PGConnection.connect(config: config)
            var closedCount = 0
            for (index, delay) in Self.delays.enumerated() {
                let unit = Int32(index)
                let current = connection
                let task = Task { try await operation.run(on: current, table: table, unit: unit) }
                if delay > .zero { try await Task.sleep(for: delay) }
                task.cancel()
                _ = await task.result  // any outcome may be reported; what follows must hold
                do {
                    // Usable: the next statement gets its own answer, outside any transaction.
                    #expect(try await current.scalar("SELECT 'next'") == "next", "\(operation) cancelled after \(delay)")
                    #expect(current.transactionStatus == .idle, "\(operation) cancelled after \(delay)")
                } catch let error as PGError where current.isClosed {
                    // Or closed (a cancel the server did not act on in time): then the statement
                    // was not sent, and a new connection takes over.
                    #expect(error.kind == .connectionClosed && error.isSafeToRetry, "\(error)")
                }
                if current.isClosed {
                    closedCount += 1
                    connection = try await PGConnection.connect(config: config)
                }
            }
            await connection.close()
            // Most cancels end with a usable connection; closing is the exception.
            #expect(closedCount < Self.delays.count, "every cancel closed the connection")
        }
        if operation.isAtomic {
            let counts = try await TestDatabase.withConnection { connection in
                try await connection.query("SELECT count(*)::int4 FROM \(unescaped: table) GROUP BY unit").collect()
                    .map { try $0.decode(Int32.self, at: 0) }
            }
            #expect(counts.allSatisfy { Int($0) == operation.rowsPerUnit }, "\(operation): rows per unit \(counts)")
        }
    }

    @Test func cancellingPoolCallsNeverReturnsAConnectionMidTransaction() async throws {
        let cluster = try await SharedCluster.instance.cluster
        let table = "walk_pool_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await TestDatabase.withConnection {
            try await $0.simpleQuery("CREATE TABLE \(table) (unit int4, part int4)")
        }
        var config = PGPool.Configuration(connection: try cluster.clientConfig(sslmode: .disable))
        config.maxConnections = 2
        // Cleaning up after cancelled holders (a cancel confirmed or timed out, a ROLLBACK) may
        // take long on a loaded machine; waiting is not what this test measures.
        config.acquireTimeout = PGPool.Configuration.testAcquireTimeout
        var logger = Logger(label: "cancellation-walk")
        logger.logLevel = .error
        try await PGPool.withPool(config: config, logger: logger) { (pool: PGPool) async throws in
            for (index, delay) in Self.delays.enumerated() {
                let unit = Int32(index)
                let tasks = (0..<3).map { _ in
                    Task {
                        try await pool.withTransaction { connection in
                            try await connection.execute("INSERT INTO \(unescaped: table) (unit, part) VALUES (\(unit), 1)")
                            try await connection.execute("SELECT pg_sleep(0.01)")
                            try await connection.execute("INSERT INTO \(unescaped: table) (unit, part) VALUES (\(unit), 2)")
                        }
                    }
                }
                if delay > .zero { try await Task.sleep(for: delay) }
                for task in tasks { task.cancel() }
                for task in tasks { _ = await task.result }
                // Every connection the pool hands out next is idle, outside any transaction.
                for _ in 0..<2 {
                    try await pool.withConnection { (connection: PGConnection) async throws in
                        #expect(connection.transactionStatus == .idle, "pool cancelled after \(delay)")
                        #expect(try await connection.scalar("SELECT 'idle'") == "idle")
                    }
                }
            }
        }
        let counts = try await TestDatabase.withConnection { connection in
            try await connection.query("SELECT count(*)::int4 FROM \(unescaped: table) GROUP BY unit, part").collect()
                .map { try $0.decode(Int32.self, at: 0) }
        }
        // Each committed unit has both parts: per unit, part 1 and part 2 counts agree.
        let perPart = try await TestDatabase.withConnection { connection in
            try await connection.query("SELECT count(*) FILTER (WHERE part = 1)::int4, count(*) FILTER (WHERE part = 2)::int4 FROM \(unescaped: table)").collect()
        }
        #expect(try perPart.first?.decode(Int32.self, at: 0) == perPart.first?.decode(Int32.self, at: 1), "\(counts)")
    }
}
