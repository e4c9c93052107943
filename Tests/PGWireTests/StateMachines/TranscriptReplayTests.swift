import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: replay of recorded PostgreSQL sessions")
struct TranscriptReplayTests {
    static let fixedParameters: [FrontendMessage.StartupMessage.Parameter] = [
        .init("application_name", "pgwire-fixtures"), .init("client_encoding", "UTF8"),
    ]

    static func settings(
        user: String = "admin", password: String? = nil, database: String = "fixtures",
        extra: [FrontendMessage.StartupMessage.Parameter] = []
    ) -> ConnectionSettings {
        var settings = ConnectionSettings(
            user: user, database: database, password: password, parameters: fixedParameters + extra, tls: .disable)
        settings.scramClientNonce = "cGd3aXJlLXN3aWZ0IG5vbmNl"
        return settings
    }

    /// Replays a session and checks that the machine sent, byte for byte, what the client did.
    static func replay(
        _ name: String, settings: ConnectionSettings, requests: [QueryRequest] = [], scram: Bool = false
    ) throws -> Replay {
        let session = try RecordedSession(name, scram: scram)
        let replay = Replay(session, settings: settings, requests: requests)
        #expect(replay.sentDuringStartup == session.startupMessages)
        var encoded = ByteBuffer()
        for message in replay.sentDuringStartup { try message.encode(into: &encoded) }
        #expect(encoded.readableBytesView.elementsEqual(session.frontendBytes.readableBytesView.prefix(encoded.readableBytes)))
        let submitted = requests.indices.map { ConnectionAction.writeRequest(RequestID(UInt64($0 + 1))) }
        #expect(replay.actions.filter { if case .writeRequest = $0 { true } else { false } } == submitted)
        return replay
    }

    static func expectConnected(_ replay: Replay) {
        #expect(replay.actions.contains(.connected))
        #expect(replay.machine.serverParameters.count == 13)
        #expect(replay.machine.serverParameters["server_version"]?.hasPrefix("15") == true)
        #expect(replay.machine.serverParameters["application_name"] == "pgwire-fixtures")
        #expect(replay.machine.backendKeyData != nil)
    }

    // MARK: Startup

    @Test func startupCleartext() throws {
        let replay = try Self.replay("startup-cleartext", settings: Self.settings(user: "clear_user", password: "clear-secret"))
        Self.expectConnected(replay)
        #expect(replay.machine.authenticationMethod == .password)
        #expect(replay.machine.isReady)
    }

    @Test func startupMD5AnswersTheRealSalt() throws {
        let replay = try Self.replay("startup-md5", settings: Self.settings(user: "md5_user", password: "md5-secret"))
        Self.expectConnected(replay)
        #expect(replay.machine.authenticationMethod == .md5)
    }

    // The capture used the fixed client nonce, so our proof must equal the recorded one and
    // the real server's signature must verify.
    @Test func startupSCRAMAgainstARealServersBytes() throws {
        let replay = try Self.replay(
            "startup-scram", settings: Self.settings(user: "scram_user", password: "scram-secret"), scram: true)
        Self.expectConnected(replay)
        #expect(replay.machine.authenticationMethod == .scramSHA256)
        #expect(!replay.machine.isChannelBound)
        #expect(!replay.closed)
    }

    @Test func wrongSCRAMPasswordFailsWithTheServersError() throws {
        let replay = try Self.replay(
            "wrong-password", settings: Self.settings(user: "scram_user", password: "not-the-password"), scram: true)
        let last = try #require(replay.actions.last)
        guard case .failAndClose(.server(let error), failedRequests: []) = last else {
            Issue.record("expected a server failure, got \(last)")
            return
        }
        #expect(error.fields[.sqlState] == "28P01")
        #expect(error.fields[.severity] == "FATAL")
    }

    @Test func unknownDatabaseFailsAfterAuthentication() throws {
        let replay = try Self.replay("unknown-database", settings: Self.settings(database: "no_such_database"))
        #expect(replay.actions.count == 3)
        guard case .failAndClose(.server(let error), failedRequests: []) = replay.actions.last else {
            Issue.record("expected a server failure, got \(replay.actions)")
            return
        }
        #expect(error.fields[.sqlState] == "3D000")
    }

    @Test func protocol32IsNegotiatedDownTo30() throws {
        var settings = Self.settings(extra: [.init("_pq_.fancy", "on")])
        settings.protocolVersion = .v3_2
        let replay = try Self.replay("protocol-3.2", settings: settings)
        Self.expectConnected(replay)
        #expect(replay.machine.protocolVersion == .v3_0)
    }

    @Test func sslRequestRefusedGoesOnInPlainText() throws {
        var settings = Self.settings()
        settings.tls = .prefer
        let replay = try Self.replay("ssl-request", settings: settings)
        Self.expectConnected(replay)
        #expect(!replay.machine.usesTLS)
    }

    // MARK: Queries

    @Test func simpleQueries() throws {
        let replay = try Self.replay("simple-query", settings: Self.settings(), requests: Array(repeating: .simple, count: 8))
        #expect(!replay.closed)
        // CREATE, INSERT, INSERT … RETURNING (1 row), SELECT (2 rows).
        #expect(replay.actions.contains(.commandComplete(RequestID(1), statement: 1, .init(tag: "INSERT 0 2"))))
        #expect(replay.rowCount(1, statement: 2) == 1)
        #expect(replay.rowCount(1, statement: 3) == 2)
        #expect(replay.actions.contains(.commandComplete(RequestID(1), statement: 3, .init(tag: "SELECT 2"))))
        #expect(replay.actions.contains(.emptyQuery(RequestID(2), statement: 0)))
        #expect(replay.actions.contains(.emptyQuery(RequestID(3), statement: 0)))
        #expect(replay.actions.contains { if case .notice(let notice) = $0 { notice.fields[.message] == "hello from DO" } else { false } })
        #expect(replay.failures.map(\.request) == [6, 7])
        #expect(replay.failures.map(\.statement) == [0, 0])
        #expect(replay.failures.map(\.sqlState) == ["22012", "25P02"])
        #expect(replay.completions == [.idle, .idle, .idle, .idle, .inTransaction, .failedTransaction, .failedTransaction, .idle])
        #expect(replay.machine.requestsInFlight == 0)
    }

    @Test func extendedQueriesWithBinaryResults() throws {
        let replay = try Self.replay("extended-binary", settings: Self.settings(), requests: [
            .simple,
            .batch([.prepare, .bindExecute, .execute]),  // Parse, Describe(S), Flush, Bind, Execute(2), Execute, Sync
            .extended([.parse, .describeStatement, .bind, .execute]),
            .extended(.close),
        ])
        #expect(!replay.closed)
        #expect(replay.actions.contains { if case .parameterDescription(RequestID(2), 0, let types) = $0 { types.dataTypes == [.int4, .text, .numeric] } else { false } })
        #expect(replay.rowCount(2, statement: 1) == 2)
        #expect(replay.actions.contains(.portalSuspended(RequestID(2), statement: 1)))
        #expect(replay.rowCount(2, statement: 2) == 1)
        #expect(replay.actions.contains(.noData(RequestID(3), statement: 0)))
        #expect(replay.actions.contains(.commandComplete(RequestID(3), statement: 0, .init(tag: "INSERT 0 1"))))
        #expect(replay.completions.count == 4)
        #expect(replay.failures.isEmpty)
    }

    @Test(arguments: [("types-text", PGFormat.text), ("types-binary", .binary)])
    func everyTypeInOneRow(name: String, format: PGFormat) throws {
        let replay = try Self.replay(
            name, settings: Self.settings(extra: [.init("TimeZone", "UTC")]), requests: [.extended(.parseBindDescribeExecute)])
        #expect(!replay.closed)
        let description = try #require(replay.actions.lazy.compactMap { action -> BackendMessage.RowDescription? in
            if case .rowDescription(RequestID(1), 0, let description) = action { return description }
            return nil
        }.first)
        #expect(description.columns.count > 40)
        #expect(description.columns.allSatisfy { $0.format == format })
        #expect(replay.rowCount(1, statement: 0) == 1)
        #expect(replay.completions == [.idle])
    }

    @Test func pipelineWithAnErrorInTheThirdStatement() throws {
        let replay = try Self.replay("pipeline-error", settings: Self.settings(), requests: [
            .batch(Array(repeating: [.parse, .bind, .execute], count: 5)), .simple,
        ])
        #expect(!replay.closed)
        #expect(replay.rowCount(1, statement: 0) == 1)
        #expect(replay.rowCount(1, statement: 1) == 1)
        #expect(replay.rowCount(1, statement: 2) == 2)
        #expect(replay.failures.count == 1)
        #expect(replay.failures.first?.request == 1)
        #expect(replay.failures.first?.statement == 2)
        #expect(replay.failures.first?.sqlState == "22012")
        // The skipped statements leave no trace.
        #expect(!replay.actions.contains { action in
            switch action {
            case .parseComplete(RequestID(1), let statement), .commandComplete(RequestID(1), let statement, _): statement > 2
            default: false
            }
        })
        #expect(replay.rowCount(2, statement: 0) == 1)
        #expect(replay.completions == [.idle, .idle])
    }

    @Test func copyIn() throws {
        let replay = try Self.replay("copy-in", settings: Self.settings(), requests: Array(repeating: .simple, count: 4))
        #expect(!replay.closed)
        #expect(replay.actions.contains { if case .copyInStarted(RequestID(2), 0, _) = $0 { true } else { false } })
        #expect(replay.actions.contains(.commandComplete(RequestID(2), statement: 0, .init(tag: "COPY 3"))))
        #expect(replay.actions.contains { if case .copyInStarted(RequestID(3), 0, _) = $0 { true } else { false } })
        #expect(replay.failures.map(\.request) == [3])
        #expect(replay.failures.map(\.sqlState) == ["57014"])
        #expect(replay.rowCount(4, statement: 0) == 1)
        #expect(replay.completions.count == 4)
    }

    @Test func copyOut() throws {
        let replay = try Self.replay("copy-out", settings: Self.settings(), requests: [.simple, .simple])
        #expect(!replay.closed)
        for (request, chunks, format) in [(RequestID(1), 4, PGFormat.binary), (RequestID(2), 3, .text)] {
            #expect(replay.actions.contains { if case .copyOutStarted(request, 0, let response) = $0 { response.format == format } else { false } })
            #expect(replay.actions.count { if case .copyData(request, 0, _) = $0 { true } else { false } } == chunks)
            #expect(replay.actions.contains(.commandComplete(request, statement: 0, .init(tag: "COPY 3"))))
        }
        #expect(replay.completions.count == 2)
    }

    @Test func notificationAndParameterChangeMidSession() throws {
        let replay = try Self.replay("notify", settings: Self.settings(), requests: [.simple, .simple, .simple])
        #expect(!replay.closed)
        #expect(replay.actions.contains { if case .notification(let n) = $0 { n.channel == "ch" && n.payload == "payload" } else { false } })
        let changed = replay.actions.drop { $0 != .connected }.compactMap { if case .parameterStatus(let status) = $0 { status } else { nil } }
        #expect(changed.map(\.name) == ["application_name"])
        #expect(replay.machine.serverParameters["application_name"] == changed.first?.value)
        #expect(replay.completions.count == 3)
    }

    @Test func cancelledQuery() throws {
        let replay = try Self.replay("cancelled-query", settings: Self.settings(), requests: [.simple])
        #expect(!replay.closed)
        #expect(replay.failures.map(\.sqlState) == ["57014"])
        #expect(replay.completions == [.idle])
    }
}
