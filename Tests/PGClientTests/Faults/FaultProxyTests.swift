import PGClient
import PGLocalCluster
import Testing

/// The fault proxy itself, and what the driver does on links it slows down or cuts into pieces:
/// every outcome is checked, and what the server holds where it matters.
@Suite("Fault proxy")
struct FaultProxyTests {
    @Test func sessionsPassThroughUnchanged() async throws {
        try await withFaultProxy { proxy, config in
            let answer = try await PGConnection.withConnection(config: config) { connection in
                #expect(!connection.usesTLS)
                return try await connection.scalar("SELECT 'through'")
            }
            #expect(answer == "through")
            #expect(proxy.acceptedConnections == 1)
        }
    }

    @Test func aSessionDeliveredOneByteAtATimeWorks() async throws {
        // Startup, SCRAM, rows and errors all arrive in one-byte reads.
        try await withFaultProxy { proxy, config in
            proxy.faults = [.oneByteAtATime()]
            try await PGConnection.withConnection(config: config) { connection in
                let rows = try await connection.query("SELECT g, repeat('x', g) FROM generate_series(1, 50) g").collect()
                #expect(rows.count == 50)
                #expect(try rows[49].decode(String.self, at: 1).count == 50)
                let error = await #expect(throws: PGError.self) { try await connection.execute("SELECT 1/0") }
                #expect(error?.sqlState == .divisionByZero)
                #expect(try await connection.scalar("SELECT 'after'") == "after")
            }
        }
    }

    @Test func aHeldConnectionIsRelayedOnlyOnceReleased() async throws {
        try await withFaultProxy { proxy, config in
            proxy.holdNewConnections()
            let connecting = Task { try await PGConnection.withConnection(config: config) { try await $0.scalar("SELECT 'held'") } }
            try await PGPoolIntegrationTests.waitUntil { proxy.heldConnections > 0 }
            #expect(proxy.heldConnections == 1)
            #expect(proxy.acceptedConnections == 0)  // not relayed: no connection to the server
            proxy.releaseNewConnections()
            #expect(try await connecting.value == "held")
            #expect(proxy.heldConnections == 0)
            #expect(proxy.acceptedConnections == 1)
        }
    }

    @Test func latencyKeepsOrderAndResults() async throws {
        try await withFaultProxy { proxy, config in
            proxy.faults = [.latency(.milliseconds(20))]
            try await PGConnection.withConnection(config: config) { connection in
                let results = try await withThrowingTaskGroup(of: (Int32, Int32?).self) { group in
                    for value in Int32(0)..<20 {
                        group.addTask { (value, try await connection.scalar("SELECT \(value)::int4").flatMap(Int32.init)) }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                }
                #expect(results.count == 20)
                #expect(results.allSatisfy { $0.key == $0.value })
            }
        }
    }

    @Test func aResetOfAnIdleConnectionFailsTheNextRequestAsClosed() async throws {
        try await withFaultProxy { proxy, config in
            let connection = try await PGConnection.connect(config: config)
            proxy.faults = [.afterBytes(0, .toServer, .reset)]
            let error = await #expect(throws: PGError.self) { try await connection.scalar("SELECT 1") }
            #expect(error?.kind == .connectionClosed)
            #expect(connection.isClosed)
        }
    }

    @Test func theStalePlanRetryDoesNotDependOnTheMessageLanguage() async throws {
        // The proxy rewrites every error's message, as a server with another lc_messages would
        // send it; the stale cached plan is still found (by SQLSTATE and routine) and retried.
        try await withFaultProxy { proxy, config in
            proxy.faults = [
                .rewrite(.toClient) { message in
                    guard message.type == UInt8(ascii: "E") else { return message }
                    var fields = ResponseFields(body: message.body)
                    fields["M"] = "der zwischengespeicherte Plan darf den Ergebnistyp nicht ändern"
                    return PGProxyMessage(type: message.type, body: fields.body)
                }
            ]
            try await PGConnection.withConnection(config: config) { connection in
                try await expectStalePlanPreparedAgain(on: connection)
                // The rewrite really reached the client.
                let error = await #expect(throws: PGError.self) { try await connection.execute("SELECT 1/0") }
                #expect(error?.message.hasPrefix("der zwischengespeicherte") == true)
            }
        }
    }
}
