import NIOCore
import PGWire
import Testing

/// Byte-exact sessions recorded from PostgreSQL 15 (`Fixtures/sessions/`): both streams decode
/// completely, in the order the session's README lists, and every message re-encodes to exactly
/// the bytes it came from.
@Suite("Recorded PostgreSQL sessions")
struct TranscriptTests {
    static func decoded(_ name: String) throws -> SessionTranscript {
        var transcript = try SessionTranscript(name)
        try transcript.decode()
        return transcript
    }

    @Test func fixturesFolderHoldsTheKnownSessions() throws {
        for name in SessionTranscript.knownNames {
            let transcript = try SessionTranscript(name)
            #expect(!transcript.frontend.isEmpty, "\(name)/frontend.bin is empty")
        }
    }

    @Test(arguments: SessionTranscript.allNames)
    func backendStreamRoundTrips(name: String) throws {
        let transcript = try Self.decoded(name)
        var reencoded: [UInt8] = transcript.encryptionResponse == nil ? [] : [transcript.backend[0]]
        for decoded in transcript.backendMessages {
            var buffer = ByteBuffer()
            decoded.message.encode(into: &buffer)
            #expect(
                buffer.bytes == decoded.bytes,
                "\(name): \(decoded.message.name) re-encodes differently")
            reencoded += buffer.bytes
        }
        #expect(reencoded == transcript.backend)
    }

    @Test(arguments: SessionTranscript.allNames)
    func frontendStreamRoundTrips(name: String) throws {
        let transcript = try Self.decoded(name)
        var reencoded = ByteBuffer()
        for decoded in transcript.frontendMessages {
            var buffer = ByteBuffer()
            try decoded.message.encode(into: &buffer)
            #expect(
                buffer.bytes == decoded.bytes,
                "\(name): \(decoded.message.name) re-encodes differently")
            try decoded.message.encode(into: &reencoded)
        }
        #expect(reencoded.bytes == transcript.frontend)
    }

    @Test(arguments: SessionTranscript.allNames)
    func messagesAreTheOnesTheReadmeLists(name: String) throws {
        let transcript = try Self.decoded(name)
        let backend =
            (transcript.encryptionResponse == nil ? [] : ["'N'"])
            + transcript.backendMessages.map { TranscriptLabel.label($0.message) }
        #expect(backend == (try transcript.readmeLabels(side: "B")))
        let frontend = transcript.frontendMessages.map { TranscriptLabel.label($0.message) }
        #expect(frontend == (try transcript.readmeLabels(side: "F")))
    }

    @Test(arguments: SessionTranscript.allNames)
    func sessionEndsPlausibly(name: String) throws {
        let transcript = try Self.decoded(name)
        let frontend = transcript.frontendMessages.map(\.message)
        guard let last = transcript.backendMessages.last?.message else {
            // Only a CancelRequest gets no answer at all.
            #expect(frontend.count == 1 && frontend.first?.name == "CancelRequest")
            return
        }
        switch last {
        case .readyForQuery(let ready):
            #expect(ready.transactionStatus == .idle)
            #expect(frontend.last == .terminate)
        case .errorResponse(let error):
            // The server ends a session with FATAL and closes it.
            #expect(error.fields[.severity] == "FATAL")
            #expect(frontend.last != .terminate)
        default:
            Issue.record("\(name) ends with \(last.name)")
        }
    }

    // MARK: - Facts about single sessions

    @Test func sslAndGSSEncryptionAreRefused() throws {
        for name in ["ssl-request", "gssenc-request"] {
            let transcript = try Self.decoded(name)
            #expect(transcript.encryptionResponse == .refused)
            #expect(transcript.backend.first == UInt8(ascii: "N"))
        }
        #expect(try Self.decoded("ssl-request").frontendMessages.first?.message == .sslRequest)
        #expect(
            try Self.decoded("gssenc-request").frontendMessages.first?.message == .gssEncRequest)
    }

    @Test func typesBinaryColumnTypes() throws {
        let transcript = try Self.decoded("types-binary")
        let description = try #require(
            transcript.backendMessages.lazy.compactMap {
                message -> BackendMessage.RowDescription? in
                if case .rowDescription(let description) = message.message {
                    description
                } else {
                    nil
                }
            }.first)
        let columns = description.columns
        #expect(columns.count == 51)
        #expect(columns.allSatisfy { $0.format == .binary })
        let expected: [(String, PGDataType)] = [
            ("bool_true", .bool), ("int2_min", .int2), ("int4_max", .int4), ("int8_min", .int8),
            ("float4_value", .float4), ("float8_pi", .float8), ("numeric_huge", .numeric),
            ("text_utf8", .text),
            ("varchar_value", .varchar), ("bpchar_padded", .bpchar), ("name_value", .name),
            ("char_value", .char),
            ("bytea_value", .bytea), ("uuid_value", .uuid), ("date_leap", .date),
            ("time_value", .time),
            ("timetz_value", .timetz), ("timestamp_value", .timestamp),
            ("timestamptz_value", .timestamptz),
            ("interval_value", .interval), ("json_value", .json), ("jsonb_value", .jsonb),
            ("oid_max", .oid),
            ("inet_v4", .inet), ("cidr_v4", .cidr), ("int4_array", .int4Array),
            ("text_array_2d", .textArray),
            ("null_int4", .int4),
        ]
        for (name, type) in expected {
            #expect(columns.first { $0.name == name }?.dataType == type, "\(name)")
        }
        // The enum's OID is assigned when the type is created: a user OID, at or above 16384.
        let enumType = try #require(columns.first { $0.name == "enum_value" }?.dataType)
        #expect(enumType.rawValue >= 16_384)

        let row = try #require(
            transcript.backendMessages.lazy.compactMap { message -> BackendMessage.DataRow? in
                if case .dataRow(let row) = message.message { row } else { nil }
            }.first)
        #expect(row.count == 51)
        #expect(row.column(at: 0) == ByteBuffer(bytes: [1]))  // true
        #expect(row.column(at: 3) == ByteBuffer(integer: Int32.max))
        #expect(row.column(at: 50) == nil)  // the NULL
    }

    @Test func typesTextColumnsComeAsText() throws {
        let transcript = try Self.decoded("types-text")
        for decoded in transcript.backendMessages {
            if case .rowDescription(let description) = decoded.message {
                #expect(description.columns.count == 51)
                #expect(description.columns.allSatisfy { $0.format == .text })
            }
        }
        let bind = transcript.frontendMessages.compactMap { decoded -> FrontendMessage.Bind? in
            if case .bind(let bind) = decoded.message { bind } else { nil }
        }
        #expect(bind.first?.resultFormats == [.text])
    }

    @Test func pipelineErrorHasOneErrorThenReadyForQuery() throws {
        let messages = try Self.decoded("pipeline-error").backendMessages.map(\.message)
        let errors = messages.indices.filter {
            if case .errorResponse = messages[$0] { true } else { false }
        }
        #expect(errors.count == 1)
        let index = try #require(errors.first)
        guard case .errorResponse(let error) = messages[index] else { return }
        #expect(error.fields[.sqlState] == "22012")
        #expect(error.fields[.severity] == "ERROR")
        #expect(messages[index + 1] == .readyForQuery(.init(transactionStatus: .idle)))
        // The fourth and fifth groups were skipped: three ParseCompletes before the error.
        #expect(messages[..<index].filter { $0 == .parseComplete }.count == 3)
    }

    @Test func simpleQuerySession() throws {
        let messages = try Self.decoded("simple-query").backendMessages.map(\.message)
        let statuses = messages.compactMap { message -> BackendMessage.TransactionStatus? in
            if case .readyForQuery(let ready) = message { ready.transactionStatus } else { nil }
        }
        #expect(
            statuses == [
                .idle, .idle, .idle, .idle, .idle, .inTransaction, .failedTransaction,
                .failedTransaction, .idle,
            ])
        #expect(messages.filter { $0 == .emptyQueryResponse }.count == 2)
        let counts = messages.compactMap { message -> Int64? in
            if case .commandComplete(let done) = message { done.rowCount } else { nil }
        }
        #expect(counts == [2, 1, 2])
        let rows = messages.compactMap { message -> BackendMessage.DataRow? in
            if case .dataRow(let row) = message { row } else { nil }
        }
        #expect(rows.contains { row in row.contains { $0 == nil } }, "a row with a NULL")
    }

    @Test func scramSessionReplaysWithTheKnownNonce() throws {
        let transcript = try Self.decoded("startup-scram")
        let backend = transcript.backendMessages.map(\.message)
        #expect(backend.first == .authentication(.sasl(mechanisms: ["SCRAM-SHA-256"])))
        guard
            case .authentication(.saslContinue(let serverFirst)) = backend[1],
            case .authentication(.saslFinal(let serverFinal)) = backend[2]
        else {
            Issue.record("no SASL continue and final")
            return
        }
        let frontend = transcript.frontendMessages.map(\.message)
        var scram = try SCRAMSHA256(
            password: Array("scram-secret".utf8), channelBinding: .notSupportedByClient,
            clientNonce: "cGd3aXJlLXN3aWZ0IG5vbmNl")
        #expect(
            frontend[1]
                == .saslInitialResponse(
                    .init(mechanism: scram.mechanism, initialResponse: scram.clientFirstMessage)))
        let clientFinal = try scram.receive(serverFirst: serverFirst.bytes)
        #expect(frontend[2] == .saslResponse(.init(data: clientFinal)))
        try scram.receive(serverFinal: serverFinal.bytes)
        #expect(scram.isServerVerified)
    }

    @Test func md5SessionSendsTheExpectedHash() throws {
        let transcript = try Self.decoded("startup-md5")
        guard
            case .authentication(.md5Password(let salt)) = transcript.backendMessages.first?.message
        else {
            Issue.record("no AuthenticationMD5Password")
            return
        }
        let saltBytes = [
            UInt8(salt >> 24), UInt8(salt >> 16 & 0xFF), UInt8(salt >> 8 & 0xFF),
            UInt8(salt & 0xFF),
        ]
        let expected = MD5Password.response(
            password: Array("md5-secret".utf8), username: "md5_user", salt: saltBytes)
        #expect(
            transcript.frontendMessages[1].message
                == .password(.init(password: String(decoding: expected, as: UTF8.self))))
    }

    @Test func cleartextSessionSendsThePassword() throws {
        let transcript = try Self.decoded("startup-cleartext")
        #expect(transcript.backendMessages.first?.message == .authentication(.cleartextPassword))
        #expect(
            transcript.frontendMessages[1].message == .password(.init(password: "clear-secret")))
    }

    @Test func cancelRepeatsTheBackendKeyData() throws {
        let cancel = try Self.decoded("cancel")
        let query = try Self.decoded("cancelled-query")
        let key = try #require(
            query.backendMessages.lazy.compactMap { decoded -> BackendMessage.BackendKeyData? in
                if case .backendKeyData(let key) = decoded.message { key } else { nil }
            }.first)
        #expect(key.secretKey.count == 4)
        #expect(
            cancel.frontendMessages.map(\.message) == [
                .cancelRequest(.init(processID: key.processID, secretKey: key.secretKey))
            ])
        let errors = query.backendMessages.compactMap { decoded -> String? in
            if case .errorResponse(let error) = decoded.message {
                error.fields[.sqlState]
            } else {
                nil
            }
        }
        #expect(errors == ["57014"])
    }

    @Test func copyOutSendsTheBinaryHeader() throws {
        let messages = try Self.decoded("copy-out").backendMessages.map(\.message)
        let responses = messages.compactMap { message -> BackendMessage.CopyResponse? in
            if case .copyOutResponse(let response) = message { response } else { nil }
        }
        #expect(responses.map(\.format) == [.binary, .text])
        guard let first = messages.first(where: { if case .copyData = $0 { true } else { false } }),
            case .copyData(let data) = first
        else {
            Issue.record("no CopyData")
            return
        }
        #expect(
            data.data.bytes.starts(with: [
                0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00,
            ]))
    }

    @Test func copyInIsAbortedWithCopyFail() throws {
        let transcript = try Self.decoded("copy-in")
        let frontend = transcript.frontendMessages.map(\.message)
        #expect(frontend.contains { if case .copyFail = $0 { true } else { false } })
        let copyData = frontend.filter { if case .copyData = $0 { true } else { false } }
        #expect(copyData.count == 3)
        let tags = transcript.backendMessages.compactMap { decoded -> String? in
            if case .commandComplete(let done) = decoded.message { done.tag } else { nil }
        }
        #expect(tags == ["CREATE TABLE", "COPY 3", "SELECT 1"])
    }

    @Test func extendedQueryWithRowLimit() throws {
        let transcript = try Self.decoded("extended-binary")
        let frontend = transcript.frontendMessages.map(\.message)
        #expect(frontend.contains(.execute(.init(portalName: "p1", maxRows: 2))))
        #expect(frontend.contains(.close(.init(.statement, name: "s1"))))
        let backend = transcript.backendMessages.map(\.message)
        #expect(
            backend.contains(.parameterDescription(.init(dataTypes: [.int4, .text, .numeric]))))
        let suspended = try #require(backend.firstIndex(of: .portalSuspended))
        #expect(
            backend[suspended - 2..<suspended].allSatisfy {
                if case .dataRow = $0 { true } else { false }
            })
    }

    @Test func notificationArrivesBeforeReadyForQuery() throws {
        let messages = try Self.decoded("notify").backendMessages.map(\.message)
        let index = try #require(
            messages.firstIndex { if case .notificationResponse = $0 { true } else { false } })
        guard case .notificationResponse(let notification) = messages[index] else { return }
        #expect(notification.channel == "ch")
        #expect(notification.payload == "payload")
        #expect(messages[index + 1] == .readyForQuery(.init(transactionStatus: .idle)))
    }

    @Test func protocol32IsNegotiatedDown() throws {
        let transcript = try Self.decoded("protocol-3.2")
        guard case .startup(let startup) = transcript.frontendMessages.first?.message else {
            Issue.record("no StartupMessage")
            return
        }
        #expect(startup.protocolVersion == .v3_2)
        #expect(startup.parameters.contains { $0.name == "_pq_.fancy" })
        #expect(
            transcript.backendMessages.first?.message
                == .negotiateProtocolVersion(
                    .init(newestVersion: .v3_0, unrecognizedOptions: ["_pq_.fancy"])))
    }

    @Test(arguments: [("unknown-database", "3D000"), ("wrong-password", "28P01")])
    func fatalErrorEndsTheSession(name: String, sqlState: String) throws {
        let last = try Self.decoded(name).backendMessages.last?.message
        guard case .errorResponse(let error) = last else {
            Issue.record("\(name) does not end with ErrorResponse")
            return
        }
        #expect(error.fields[.sqlState] == sqlState)
        #expect(error.fields[.severity] == "FATAL")
    }
}
