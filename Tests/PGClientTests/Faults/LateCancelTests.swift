@testable import PGClient
import PGLocalCluster
import Testing

/// A CancelRequest travels on a connection of its own and may arrive after the statement it
/// was meant for has ended: it then stops the next statement. Here the fault proxy holds the
/// CancelRequest's connection until that has happened, against a real server.
@Suite("A late cancel")
struct LateCancelTests {
    /// The statement behind the cancelled one (one statement with its own Sync, outside a
    /// transaction) is stopped by the late cancel, runs again once the cancel is over, and its
    /// caller never hears of it: it gets its rows, and the server holds its row once.
    @Test func aStatementStoppedByACancelMeantForTheOneBeforeRunsAgain() async throws {
        try await withFaultProxy { proxy, config in
            try await PGConnection.withConnection(config: config, options: .init(cancelTimeout: .seconds(240))) { connection in
                try await TestDatabase.withConnection { holder in
                    try await connection.execute("CREATE TEMP TABLE late_cancel (n int4)")
                    let first = Int64.random(in: 1...Int64.max / 2)
                    let second = first + 1
                    // The INSERT once before, its lock free: the statement cache then knows its
                    // columns, and the run under test sends no Describe. A RowDescription read
                    // before the cancel's error would hand its caller the rows' stream, and a
                    // statement whose stream was handed over is not run again.
                    _ = try await Self.insert(1, locking: first + 2, on: connection)
                    _ = try await holder.query("SELECT pg_advisory_lock(\(first)), pg_advisory_lock(\(second))").collect()
                    let pid = try #require(connection.backendKeyData?.processID)

                    let cancelled = Task { try await connection.query("SELECT pg_advisory_lock(\(first))").collect() }
                    try await CancellationTests.waitUntilRunning(pid: pid, startingWith: "SELECT pg_advisory_lock")
                    let behind = Task { try await Self.insert(2, locking: second, on: connection) }
                    // Written behind the first (requests made once the cancel is under way wait).
                    try await PGPoolIntegrationTests.waitUntil { connection.shared.requestsInFlight.load(ordering: .acquiring) >= 2 }
                    #expect(connection.shared.requestsInFlight.load(ordering: .acquiring) == 2)

                    proxy.holdNewConnections()
                    cancelled.cancel()
                    try await PGPoolIntegrationTests.waitUntil { proxy.heldConnections > 0 }
                    #expect(proxy.heldConnections == 1, "the CancelRequest's connection")
                    // The first statement ends by itself; the second waits for its lock.
                    _ = try await holder.query("SELECT pg_advisory_unlock(\(first))").collect()
                    try await CancellationTests.waitUntilRunning(pid: pid, startingWith: "INSERT INTO late_cancel")
                    let firstRun = try #require(try await Self.queryStart(of: pid, on: holder, running: "INSERT INTO late_cancel"))
                    proxy.releaseNewConnections()
                    // Stopped by the cancel and written again: a new run of the same statement.
                    var secondRun: String = firstRun
                    try await PGPoolIntegrationTests.waitUntil {
                        secondRun = try await Self.queryStart(of: pid, on: holder, running: "INSERT INTO late_cancel") ?? firstRun
                        return secondRun != firstRun
                    }
                    #expect(secondRun != firstRun, "the stopped statement never ran again")
                    _ = try await holder.query("SELECT pg_advisory_unlock(\(second))").collect()

                    let rows = try await behind.value
                    #expect(try rows.map { try $0.decode(Int32.self, at: 0) } == [2])
                    switch await cancelled.result {
                    case .success(let rows): #expect(rows.count == 1)  // it ended before the cancel arrived
                    case .failure(let error): #expect((error as? PGError)?.kind == .cancelled, "\(error)")
                    }
                    #expect(try await connection.scalar("SELECT count(*) FROM late_cancel WHERE n = 2") == "1")
                }
            }
        }
    }

    /// Inserts `n` into `late_cancel` once the session holds advisory lock `key`; the rows
    /// returned.
    static func insert(_ n: Int32, locking key: Int64, on connection: PGConnection) async throws -> [PGRow] {
        try await connection.query(
            "INSERT INTO late_cancel (n) SELECT \(n) FROM (SELECT pg_advisory_lock(\(key))) AS locked RETURNING n"
        ).collect()
    }

    /// When backend `pid`'s current statement started, if it is active and starts with
    /// `prefix` (any statement when `nil`).
    static func queryStart(of pid: Int32, on observer: PGConnection, running prefix: String? = nil) async throws -> String? {
        let rows = try await observer.query(
            "SELECT query_start::text FROM pg_stat_activity WHERE pid = \(pid) AND state = 'active' AND query LIKE \((prefix ?? "") + "%")"
        ).collect()
        return try rows.first?.decode(String.self, at: 0)
    }
}
