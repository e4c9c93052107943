import Foundation
import NIOCore
import PGClient
import PGWire
import Synchronization
import Testing

/// A server that floods or lies (a ``ScriptedServer``): the client keeps its memory bounded,
/// answers with a typed error where the protocol is broken, and never hangs.
///
/// The floods are sized by `PGWIRE_ABUSE_SCALE` (1 by default: 100,000 messages; 10 gives the
/// million the figures in the Reliability article come from). Memory bounds are generous: the
/// process runs other tests meanwhile, and the bound is there to catch what grows with the flood.
@Suite("Server abuse")
struct ServerAbuseTests {
    static let messages = 100_000 * max(1, Int(ProcessInfo.processInfo.environment["PGWIRE_ABUSE_SCALE"] ?? "") ?? 1)
    /// What the process may grow by during a flood: far below what keeping each message would
    /// take (100,000 notices of 120 bytes on the wire are 12 MB, and several times that in memory).
    static let growthBound = 256 << 20

    static func withScriptedConnection(
        options: PGConnection.Options = PGConnection.Options(),
        _ script: @escaping @Sendable (String, ScriptedServer.Link) async throws -> Void,
        _ body: (PGConnection) async throws -> Void
    ) async throws {
        let server = try await ScriptedServer.start(script: script)
        do {
            let connection = try await PGConnection.connect(config: server.config(), options: options)
            try await body(connection)
            await connection.close()
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Sends `count` messages made by `make`, in batches the socket takes one at a time.
    static func flood(_ link: ScriptedServer.Link, count: Int, _ make: (Int) -> BackendMessage) async throws {
        var sent = 0
        while sent < count {
            let batch = min(1000, count - sent)
            try await link.send((sent..<(sent + batch)).map(make))
            sent += batch
        }
    }

    @Test func aNoticeFloodIsDeliveredOneByOneInBoundedMemory() async throws {
        let count = Self.messages
        let received = Atomic<Int>(0)
        try await Self.withScriptedConnection({ _, link in
            try await Self.flood(link, count: count) { index in
                .noticeResponse(.init(fields: [
                    .severity: "NOTICE", .localizedSeverity: "NOTICE", .sqlState: "00000",
                    .message: "notice \(index) of a flood that no client should keep in memory",
                ]))
            }
            try await link.complete(tag: "DO")
        }) { connection in
            connection.onNotice { _ in received.add(1, ordering: .relaxed) }
            let before = try ProcessMemory.residentBytes()
            let results = try await connection.simpleQuery("DO flood")
            let growth = try ProcessMemory.residentBytes() - before
            #expect(results.last?.commandTag == "DO")
            #expect(received.load(ordering: .relaxed) == count)
            #expect(growth < Self.growthBound, "grew by \(growth >> 20) MiB for \(count) notices")
            #expect(try await connection.simpleQuery("SELECT").isEmpty == false)
        }
    }

    @Test func aParameterStatusFloodKeepsABoundedNumberOfParameters() async throws {
        let count = Self.messages
        try await Self.withScriptedConnection({ sql, link in
            if sql == "SELECT" {
                try await link.complete(tag: "SELECT 0")
                return
            }
            try await Self.flood(link, count: count) { index in
                .parameterStatus(.init(name: "flood_\(index)", value: String(repeating: "v", count: 64)))
            }
            try await link.complete(tag: "SET")
        }) { connection in
            let before = try ProcessMemory.residentBytes()
            _ = try await connection.simpleQuery("SET flood")
            let growth = try ProcessMemory.residentBytes() - before
            // A bounded number of names is kept; the one the server sent first is still there.
            #expect(connection.serverParameters.count <= 1100, "\(connection.serverParameters.count) parameters kept")
            #expect(connection.serverParameters["server_version"] == "15.0")
            #expect(growth < Self.growthBound, "grew by \(growth >> 20) MiB for \(count) parameters")
            _ = try await connection.simpleQuery("SELECT")
        }
    }

    @Test func aMessageDeclaringAGibibyteButSendingLittleEndsAtTheRequestDeadline() async throws {
        try await Self.withScriptedConnection(options: .init(cancelTimeout: .milliseconds(500), requestTimeout: .seconds(1)), { _, link in
            // A RowDescription that announces 1 GiB - 1 (the largest the client accepts), then
            // 16 bytes of it, then nothing: the client must not reserve what was announced.
            var bytes = ByteBuffer()
            bytes.writeInteger(UInt8(ascii: "T"))
            bytes.writeInteger(Int32((1 << 30) - 1))
            bytes.writeBytes([UInt8](repeating: 1, count: 16))
            try await link.send(bytes: bytes)
        }) { connection in
            let before = try ProcessMemory.residentBytes()
            let error = await #expect(throws: PGError.self) { try await connection.simpleQuery("SELECT huge") }
            let growth = try ProcessMemory.residentBytes() - before
            #expect(error?.kind == .timeout, "\(String(describing: error))")
            #expect(growth < Self.growthBound, "grew by \(growth >> 20) MiB")
            #expect(try await connection.closes())
        }
    }

    @Test func aMessageDeclaringMoreThanTheLimitIsAProtocolViolationAtOnce() async throws {
        try await Self.withScriptedConnection({ _, link in
            var bytes = ByteBuffer()
            bytes.writeInteger(UInt8(ascii: "D"))
            bytes.writeInteger(Int32.max)  // 2 GiB: past the 1 GiB limit
            bytes.writeBytes([UInt8](repeating: 0, count: 64))
            try await link.send(bytes: bytes)
        }) { connection in
            let error = await #expect(throws: PGError.self) { try await connection.simpleQuery("SELECT huge") }
            #expect(error?.kind == .protocolViolation, "\(String(describing: error))")
            #expect(connection.isClosed)
        }
    }

    @Test func cancellingAConnectToASilentServerReturnsAtOnceAndClosesTheSocket() async throws {
        // The server accepts the socket and never answers the startup; no connect_timeout.
        let server = try await ScriptedServer.start(answersStartup: false) { _, _ in }
        let config = try server.config()
        let connecting = Task { try await PGConnection.connect(config: config) }
        var polls = 0
        while server.openSessions == 0, polls < 6000 {  // the socket is open, the startup sent
            polls += 1
            try await Task.sleep(for: .milliseconds(10))
        }
        connecting.cancel()
        // A bound far above what returning takes, so that a connect that ignores the cancel
        // fails the test instead of hanging the suite.
        let outcome = try #require(await result(of: connecting, within: .seconds(120)), "the cancelled connect did not return")
        guard case .failure(let failure) = outcome, let error = failure as? PGError else {
            Issue.record("the cancelled connect did not fail with a PGError: \(outcome)")
            return
        }
        #expect(error.kind == .cancelled, "\(error)")
        #expect(error.isSafeToRetry)
        polls = 0
        while server.openSessions > 0, polls < 6000 {  // the client closed its socket
            polls += 1
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.openSessions == 0)
        await server.stop()
    }
}
