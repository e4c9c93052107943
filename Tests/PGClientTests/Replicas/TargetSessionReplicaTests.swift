import PGClient
import PGLocalCluster
import Testing

/// `target_session_attrs` against a real primary and its streaming replica (one pair for every
/// case, to keep CI lean).
@Suite("Replicas: target_session_attrs")
struct TargetSessionReplicaTests {
    @Test func eachTargetReachesTheServerItAsksFor() async throws {
        try await withReplicatedCluster { primary, replica in
            #expect(try await replica.isInRecovery())
            // Listed primary first, then replica first: the order must not decide.
            for (first, second) in [(primary, replica), (replica, primary)] {
                for (target, expected) in [
                    ("read-write", primary), ("primary", primary), ("read-only", replica),
                    ("standby", replica), ("prefer-standby", replica), ("any", first),
                ] {
                    let port = try await Self.portReached(first.url(listing: [second], targetSessionAttributes: target))
                    #expect(port == expected.port, "\(target) listing \(first.port),\(second.port)")
                }
            }

            // A read-only session on the standby refuses writes with the server's 25006.
            let uri = primary.url(listing: [replica], targetSessionAttributes: "read-only")
            let standby = try await PGConnection.connect(config: PGConfig.isolated(uri))
            let error = await #expect(throws: PGError.self) {
                try await standby.execute("CREATE TABLE refused (id int)")
            }
            #expect(error?.sqlState == .readOnlySqlTransaction)
            await standby.close()

            // Without a standby, prefer-standby settles for the primary and read-only finds nothing.
            try await replica.stopServer()
            let fallback = try await Self.portReached(
                primary.url(listing: [replica], targetSessionAttributes: "prefer-standby"))
            #expect(fallback == primary.port)
            let none = await #expect(throws: PGError.self) {
                try await PGConnection.connect(
                    config: PGConfig.isolated(primary.url(listing: [replica], targetSessionAttributes: "read-only")))
            }
            #expect(none?.kind == .connectionFailed)
            #expect(none?.isSafeToRetry == true)
        }
    }

    /// Connects with `uri` and returns the port of the server that accepted the session.
    static func portReached(_ uri: String) async throws -> Int? {
        try await PGConnection.withConnection(config: PGConfig.isolated(uri)) { connection in
            let rows = try await connection.query("SELECT current_setting('port')::int").collect()
            return try rows.first?.decode(Int.self, at: 0)
        }
    }
}
