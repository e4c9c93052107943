import Foundation
import NIOPosix
import PGClient
import PGLocalCluster
import Testing

/// A link that goes silent both ways (a veth end taken down between a network namespace the test
/// makes and this one): no reset, no FIN, no acknowledgement — only timeouts can tell. The
/// connection's keepalive settings (from the connection string) find it, and the call waiting on
/// it fails instead of hanging.
@Suite("Half-open links")
struct HalfOpenLinkTests {
    /// Connects from a namespace of the test's own (its event loop thread lives there) through
    /// the fault proxy, bound to the veth's address here, to the shared cluster; `body` can cut
    /// the link with `namespace.cutLink()`.
    static func withLinkToCut(
        _ overrides: [String: String], _ body: (PGConnection, NetworkNamespace, PGFaultProxy) async throws -> Void
    ) async throws {
        let cluster = try await SharedCluster.instance.cluster
        let namespace = try NetworkNamespace.create()
        defer { namespace.remove() }
        let proxy = try await PGFaultProxy.start(to: cluster.host, port: cluster.port, listeningOn: namespace.hostAddress)
        let group = try await namespace.eventLoopGroup()
        do {
            let config = try cluster.clientConfig(
                sslmode: .disable,
                overrides: overrides.merging(["host": proxy.host, "port": "\(proxy.port)"]) { $1 })
            let connection = try await PGConnection.connect(config: config, eventLoopGroup: group)
            try await body(connection, namespace, proxy)
        } catch {
            try? await group.shutdownGracefully()
            await proxy.stop()
            throw error
        }
        try? await group.shutdownGracefully()
        await proxy.stop()
    }

    /// Waits until a backend of the shared cluster is running `statement` (bounded; the bound
    /// only catches a hang).
    static func waitUntilRunning(_ statement: String) async throws {
        try await TestDatabase.withConnection { connection in
            for _ in 0..<6000 {
                let running = try await connection.scalar(
                    "SELECT count(*)::text FROM pg_stat_activity WHERE state = 'active' AND query = '\(statement)'")
                if running == "1" { return }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw TestSupportError("the statement never started on the server")
        }
    }

    @Test func aLinkThatGoesSilentMidQueryIsFoundByKeepaliveAndTheCallFails() async throws {
        let keepalive = ["keepalives": "1", "keepalives_idle": "1", "keepalives_interval": "1", "keepalives_count": "2"]
        try await Self.withLinkToCut(keepalive) { connection, namespace, _ in
            #expect(try await connection.scalar("SELECT 'through the veth'") == "through the veth")
            let clock = ContinuousClock()
            let statement = "SELECT pg_sleep(600)::text -- half-open \(UInt32.random(in: 0...UInt32.max))"
            let waiting = Task { try await connection.scalar(statement) }
            // Cut only once the statement's bytes are acknowledged: the server runs it, and a
            // delayed ACK has had time to come back. Bytes still unacknowledged at the cut would be
            // retransmitted instead, and only the retransmission limit (about 15 minutes) would
            // find the link, not keepalive.
            try await Self.waitUntilRunning(statement)
            try await Task.sleep(for: .seconds(1))
            try namespace.cutLink()
            let cut = clock.now
            let error = await #expect(throws: PGError.self) { try await waiting.value }
            // Found by the kernel (keepalive: 1 s idle, then 2 probes 1 s apart), not by the
            // statement ending (600 s): far below it, whatever the machine's load.
            #expect(clock.now - cut < .seconds(120))
            #expect(error?.kind == .connectionClosed, "\(String(describing: error))")
            #expect(error?.requestWasSent == true)  // sent: its outcome is not known
            #expect(connection.isClosed)
        }
    }

    @Test func aCommitSentIntoASilentLinkIsUnknownAndTheDatabaseShowsItAborted() async throws {
        let table = try await CommitOutcomeTests.makeTable()
        try await Self.withLinkToCut(["tcp_user_timeout": "3000"]) { connection, namespace, proxy in
            let error = await #expect(throws: PGError.self) {
                try await connection.withTransaction(.init(resolvableCommit: true)) { connection in
                    try await connection.execute("INSERT INTO \(unescaped: table) VALUES (1, 10.00)")
                    try namespace.cutLink()  // COMMIT goes into the silent link
                }
            }
            // Its bytes were never acknowledged: tcp_user_timeout ends the connection, and the
            // outcome is reported unknown — never success, never a plain failure.
            #expect(error?.kind == .commitStateUnknown, "\(String(describing: error))")
            let id = try #require(error?.transactionID)
            #expect(connection.isClosed)
            // The server never got COMMIT; its session ends when the proxy drops it, and the
            // transaction with it.
            await proxy.stop()
            #expect(try await CommitOutcomeTests.resolve(id) == .aborted)
            #expect(try await CommitOutcomeTests.rows(in: table) == 0)
        }
    }
}
