import Foundation
import NIOCore
import PGWire
import Testing

/// One recorded PostgreSQL session from `Fixtures/sessions/<name>/`: the bytes each side sent and
/// the README that says what happened.
struct SessionTranscript {
    /// `Fixtures/sessions`, found from this source file's path so that the tests run from any
    /// checkout.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Fixtures
        .deletingLastPathComponent()  // PGWireTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Fixtures/sessions")

    /// The sessions the tests assert specific facts about; each must exist.
    static let knownNames = [
        "cancel", "cancelled-query", "copy-in", "copy-out", "extended-binary", "gssenc-request",
        "notify",
        "pipeline-error", "protocol-3.2", "simple-query", "ssl-request", "startup-cleartext",
        "startup-md5",
        "startup-scram", "types-binary", "types-text", "unknown-database", "wrong-password",
    ]

    /// The known sessions and any other folder found on disk.
    static var allNames: [String] {
        let found = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let folders = found.filter { name in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(
                atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory)
            return exists && isDirectory.boolValue
        }
        return Set(knownNames + folders).sorted()
    }

    let name: String
    let frontend: [UInt8]
    let backend: [UInt8]
    let readme: String

    /// Reads a session's three files; throws (failing the test) when any is missing.
    init(_ name: String) throws {
        let folder = Self.directory.appendingPathComponent(name)
        self.name = name
        frontend = Array(try Data(contentsOf: folder.appendingPathComponent("frontend.bin")))
        backend = Array(try Data(contentsOf: folder.appendingPathComponent("backend.bin")))
        readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
    }

    /// One decoded message and the exact bytes it came from.
    struct Decoded<Message> {
        var message: Message
        var bytes: [UInt8]
    }

    /// The server's answer to SSLRequest or GSSENCRequest, when the session opened with one.
    var encryptionResponse: SSLResponse?
    /// The backend messages, in order.
    var backendMessages: [Decoded<BackendMessage>] = []
    /// The frontend messages, in order.
    var frontendMessages: [Decoded<FrontendMessage>] = []

    /// Decodes both streams completely; any bytes the decoders cannot read fail the test.
    mutating func decode() throws {
        try decodeBackend()
        try decodeFrontend()
    }

    /// The special request code a session opened with, read from the raw bytes: the backend
    /// stream must be read before the frontend one, which depends on it.
    private var openingRequestCode: [UInt8] { Array(frontend.dropFirst(4).prefix(4)) }

    private mutating func decodeBackend() throws {
        // The buffer starts at index 0, so its reader index is also an index into `backend`.
        var buffer = ByteBuffer(bytes: backend)
        switch openingRequestCode {
        case [0x04, 0xD2, 0x16, 0x2F]:  // SSLRequest
            encryptionResponse = try SSLResponse.decode(from: &buffer)
        case [0x04, 0xD2, 0x16, 0x30]:  // GSSENCRequest
            encryptionResponse = try SSLResponse.decode(from: &buffer, gssEncryption: true)
        default:
            break
        }
        let decoder = BackendMessageDecoder()
        while buffer.readableBytes > 0 {
            let start = buffer.readerIndex
            let message = try #require(
                try decoder.decode(from: &buffer),
                "\(name): incomplete message at the end of backend.bin")
            let bytes = Array(backend[start..<buffer.readerIndex])
            backendMessages.append(Decoded(message: message, bytes: bytes))
        }
    }

    /// A `p` message is read as the authentication request in the backend stream asks: the first
    /// as SASLInitialResponse and the rest as SASLResponse after AuthenticationSASL, otherwise as
    /// PasswordMessage (cleartext or MD5).
    private mutating func decodeFrontend() throws {
        let usesSASL = backendMessages.contains {
            if case .authentication(.sasl) = $0.message { true } else { false }
        }
        var decoder = FrontendMessageDecoder()
        var buffer = ByteBuffer(bytes: frontend)
        var passwordMessages = 0
        while buffer.readableBytes > 0 {
            if usesSASL {
                decoder.passwordMessageKind =
                    passwordMessages == 0 ? .saslInitialResponse : .saslResponse
            }
            let start = buffer.readerIndex
            let message = try #require(
                try decoder.decode(from: &buffer),
                "\(name): incomplete message at the end of frontend.bin")
            let bytes = Array(frontend[start..<buffer.readerIndex])
            frontendMessages.append(Decoded(message: message, bytes: bytes))
            if bytes.first == UInt8(ascii: "p") { passwordMessages += 1 }
        }
    }

    /// The README's list of messages for one side (`F:` or `B:`), with `×n` runs expanded.
    func readmeLabels(side: String) throws -> [String] {
        let line = try #require(
            readme.split(separator: "\n").first { $0.hasPrefix(side + ": ") },
            "\(name): README has no \(side): line")
        let list = line.dropFirst(side.count + 2)
        if list == "(nothing)" { return [] }
        var items: [String] = []
        var current = ""
        var depth = 0
        for character in list {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            default: break
            }
            if character == ",", depth == 0 {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current)
        return items.flatMap { item -> [String] in
            let item = item.trimmingCharacters(in: .whitespaces)
            if item.hasPrefix("'N'") { return ["'N'"] }
            let parts = item.components(separatedBy: " ×")
            if parts.count == 2, let count = Int(parts[1]) {
                return Array(repeating: parts[0], count: count)
            }
            return [item]
        }
    }
}

/// The notation the session READMEs use for a message: its name and, for some, a detail in
/// parentheses.
enum TranscriptLabel {
    static func label(_ message: BackendMessage) -> String {
        switch message {
        case .authentication(let request):
            switch request {
            case .ok: "AuthenticationOk"
            case .kerberosV5: "AuthenticationKerberosV5"
            case .cleartextPassword: "AuthenticationCleartextPassword"
            case .md5Password: "AuthenticationMD5Password"
            case .gss: "AuthenticationGSS"
            case .gssContinue: "AuthenticationGSSContinue"
            case .sspi: "AuthenticationSSPI"
            case .sasl: "AuthenticationSASL"
            case .saslContinue: "AuthenticationSASLContinue"
            case .saslFinal: "AuthenticationSASLFinal"
            }
        case .parameterStatus(let status): "ParameterStatus(\(status.name))"
        case .readyForQuery(let ready):
            "ReadyForQuery(\(Character(Unicode.Scalar(ready.transactionStatus.rawValue))))"
        case .commandComplete(let done): "CommandComplete(\(done.tag))"
        case .errorResponse(let error): "ErrorResponse(\(error.fields[.sqlState] ?? "?"))"
        case .noticeResponse(let notice): "NoticeResponse(\(notice.fields[.sqlState] ?? "?"))"
        case .negotiateProtocolVersion(let negotiate):
            "NegotiateProtocolVersion(\(([negotiate.newestVersion.description] + negotiate.unrecognizedOptions).joined(separator: ", ")))"
        default: message.name
        }
    }

    static func label(_ message: FrontendMessage) -> String {
        switch message {
        case .describe(let describe):
            "Describe(\(Character(Unicode.Scalar(describe.target.rawValue))))"
        case .close(let close): "Close(\(Character(Unicode.Scalar(close.target.rawValue))))"
        case .execute(let execute) where execute.maxRows != 0: "Execute(max \(execute.maxRows))"
        default: message.name
        }
    }
}
