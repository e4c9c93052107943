import Foundation
import NIOCore
import Testing

@testable import PGWire

/// A session recorded from PostgreSQL 15 under `Fixtures/sessions/<name>/` (see its README.md).
struct RecordedSession {
    /// The one-byte answer to SSLRequest or GSSENCRequest the server's bytes begin with, if any.
    var sslAnswer: SSLResponse?
    var backend: [BackendMessage] = []
    var frontend: [FrontendMessage] = []
    var frontendBytes: ByteBuffer

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // StateMachines
        .deletingLastPathComponent()  // PGWireTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Fixtures/sessions")

    /// Loads and decodes both directions; `scram` says how to read the client's `p` messages.
    init(_ name: String, scram: Bool = false) throws {
        let folder = Self.directory.appendingPathComponent(name)
        var backendBytes = ByteBuffer(bytes: try Data(contentsOf: folder.appendingPathComponent("backend.bin")))
        frontendBytes = ByteBuffer(bytes: try Data(contentsOf: folder.appendingPathComponent("frontend.bin")))

        var frontendDecoder = FrontendMessageDecoder()
        frontendDecoder.passwordMessageKind = scram ? .saslInitialResponse : .password
        var reading = frontendBytes
        while let message = try frontendDecoder.decode(from: &reading) {
            frontend.append(message)
            if case .saslInitialResponse = message { frontendDecoder.passwordMessageKind = .saslResponse }
        }
        #expect(reading.readableBytes == 0, "\(name): frontend.bin has trailing bytes")

        if frontend.first == .sslRequest || frontend.first == .gssEncRequest {
            sslAnswer = try SSLResponse.decode(from: &backendBytes, gssEncryption: frontend.first == .gssEncRequest)
        }
        var backendDecoder = BackendMessageDecoder()
        backendDecoder.append(backendBytes)
        while let message = try backendDecoder.next() {
            backend.append(message)
        }
        #expect(backendDecoder.bufferedByteCount == 0, "\(name): backend.bin has trailing bytes")
    }

    /// What the client sent before any request: SSLRequest, StartupMessage, passwords.
    var startupMessages: [FrontendMessage] {
        Array(frontend.prefix {
            switch $0 {
            case .sslRequest, .startup, .password, .saslInitialResponse, .saslResponse: true
            default: false
            }
        })
    }
}

/// A replay's actions, grouped for the assertions.
struct Replay {
    var actions: [ConnectionAction] = []
    var machine: ConnectionStateMachine

    /// Drives a machine with the server's messages, submitting the requests as soon as it is
    /// ready (pipelined, which the responses do not tell apart from one at a time).
    init(_ session: RecordedSession, settings: ConnectionSettings, requests: [QueryRequest] = []) {
        machine = ConnectionStateMachine(settings: settings)
        actions.append(machine.socketConnected())
        if let answer = session.sslAnswer {
            actions.append(machine.sslResponseReceived(answer, unencryptedBytesFollowing: false))
        }
        for message in session.backend {
            let action = machine.messageReceived(message)
            actions.append(action)
            guard action == .connected else { continue }
            for (index, request) in requests.enumerated() {
                actions.append(machine.requestSubmitted(RequestID(UInt64(index + 1)), request))
            }
        }
    }

    /// What the machine asked to send during startup, as FrontendMessages.
    var sentDuringStartup: [FrontendMessage] {
        actions.compactMap {
            switch $0 {
            case .sendSSLRequest: .sslRequest
            case .sendMessage(let message): message
            default: nil
            }
        }
    }

    func rowCount(_ request: UInt64, statement: Int) -> Int {
        actions.count { if case .dataRow(RequestID(request), statement, _) = $0 { true } else { false } }
    }

    var failures: [(request: UInt64, statement: Int, sqlState: String?)] {
        actions.compactMap {
            guard case .statementFailed(let id, let statement, let error) = $0 else { return nil }
            return (id.rawValue, statement, error.fields[.sqlState])
        }
    }

    var completions: [BackendMessage.TransactionStatus] {
        actions.compactMap {
            guard case .requestCompleted(_, let status) = $0 else { return nil }
            return status
        }
    }

    var closed: Bool {
        actions.contains {
            if case .failAndClose = $0 { return true }
            return false
        }
    }
}
