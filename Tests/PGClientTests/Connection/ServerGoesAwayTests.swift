import PGClient
import PGLocalCluster
import Testing

/// A server that goes away under an open connection: restarted, or the backend terminated.
/// Each test that stops a server uses a cluster of its own.
@Suite("Server goes away")
struct ServerGoesAwayTests {
    @Test func restartClosesTheConnectionAndANewOneWorks() async throws {
        try await withLocalCluster { cluster in
            let connection = try await cluster.connect()
            #expect(try await connection.scalar("SELECT 1") == "1")
            try await cluster.restart()

            let error = await #expect(throws: PGError.self) {
                try await connection.scalar("SELECT 1")
            }
            // A fast shutdown sends FATAL 57P01 to each session, then closes it; whether the
            // client reads that error first or only sees the socket closed depends on timing.
            let kind = try #require(error?.kind)
            #expect(kind == .connectionClosed || (kind == .server && error?.sqlState == .adminShutdown), "\(String(describing: error))")
            #expect(connection.isClosed)

            let again = await #expect(throws: PGError.self) {
                try await connection.scalar("SELECT 1")
            }
            #expect(again?.kind == .connectionClosed)
            #expect(again?.isSafeToRetry == true)

            let fresh = try await cluster.connect()
            #expect(try await fresh.scalar("SELECT 2") == "2")
            await fresh.close()
        }
    }

    @Test func stoppedServerRefusesNewConnections() async throws {
        try await withLocalCluster { cluster in
            try await cluster.stopServer()
            let error = try #require(await connectionError(cluster.clientConfig()))
            #expect(error.kind == .connectionFailed)
            #expect(error.isSafeToRetry)
            try await cluster.startServer()
            let connection = try await cluster.connect()
            #expect(try await connection.scalar("SELECT 1") == "1")
            await connection.close()
        }
    }

    @Test func terminatedBackendClosesTheConnection() async throws {
        let victim = try await TestDatabase.connect()
        let pid = try #require(victim.backendKeyData?.processID)
        try await TestDatabase.withConnection { killer in
            let terminated = try await killer.query("SELECT pg_terminate_backend(\(pid), 5000)").collect()
            #expect(try terminated.first?.decode(Bool.self, at: 0) == true)
        }
        let error = await #expect(throws: PGError.self) {
            try await victim.scalar("SELECT 1")
        }
        let kind = try #require(error?.kind)
        #expect(kind == .connectionClosed || (kind == .server && error?.sqlState == .adminShutdown), "\(String(describing: error))")
        #expect(victim.isClosed)
        await victim.close()
    }

    @Test func closeIsIdempotentAndFailsLaterQueries() async throws {
        let connection = try await TestDatabase.connect()
        await connection.close()
        await connection.close()
        #expect(connection.isClosed)
        let error = await #expect(throws: PGError.self) {
            try await connection.execute("SELECT 1")
        }
        #expect(error?.kind == .connectionClosed)
        #expect(error?.isSafeToRetry == true)
    }
}
