/// Cuts one direction of a PostgreSQL session into messages, as the proxy needs to count and
/// rewrite them. It knows the startup phase (untyped messages from the client; a one-byte answer
/// to SSLRequest and GSSENCRequest from the server) and gives up on framing, passing bytes as
/// they come, once the session is encrypted or a length makes no sense.
struct ProxyMessageFramer {
    enum Mode: Equatable {
        /// Length-prefixed messages without a type byte (the client's startup phase).
        case untyped
        /// One byte: the server's answer to SSLRequest or GSSENCRequest.
        case singleByte
        /// Ordinary messages: a type byte, then a length.
        case typed
        /// No framing: bytes pass as they come.
        case raw
    }

    /// What came out of the bytes given so far.
    enum Piece: Equatable {
        case message(PGProxyMessage)
        /// The server's one-byte answer to SSLRequest or GSSENCRequest.
        case encryptionAnswer(UInt8)
        case raw([UInt8])
    }

    private(set) var mode: Mode
    private var pending: [UInt8] = []

    init(mode: Mode) {
        self.mode = mode
    }

    static let sslRequestCode: UInt32 = 80_877_103
    static let gssEncRequestCode: UInt32 = 80_877_104

    /// The pieces complete after `bytes`; an incomplete message waits for the rest.
    mutating func append(_ bytes: [UInt8]) -> [Piece] {
        if mode == .raw { return bytes.isEmpty ? [] : [.raw(bytes)] }
        pending += bytes
        var pieces: [Piece] = []
        var offset = 0
        loop: while offset < pending.count {
            switch mode {
            case .raw:
                pieces.append(.raw(Array(pending[offset...])))
                offset = pending.count
            case .singleByte:
                let answer = pending[offset]
                pieces.append(.encryptionAnswer(answer))
                offset += 1
                // 'S' and 'G' start encryption: nothing can be framed after them.
                mode = answer == UInt8(ascii: "N") ? .typed : .raw
            case .untyped, .typed:
                let header = mode == .typed ? 5 : 4
                guard pending.count - offset >= header else { break loop }
                let lengthAt = offset + (mode == .typed ? 1 : 0)
                let length = Int(pending[lengthAt]) << 24 | Int(pending[lengthAt + 1]) << 16
                    | Int(pending[lengthAt + 2]) << 8 | Int(pending[lengthAt + 3])
                guard length >= 4, length <= 1 << 30 else {
                    mode = .raw
                    continue
                }
                let total = length + (mode == .typed ? 1 : 0)
                guard pending.count - offset >= total else { break loop }
                let body = Array(pending[(lengthAt + 4)..<(offset + total)])
                pieces.append(.message(PGProxyMessage(type: mode == .typed ? pending[offset] : nil, body: body)))
                offset += total
                if mode == .untyped { mode = Self.modeAfterUntyped(body) }
            }
        }
        pending.removeFirst(offset)
        return pieces
    }

    /// The server answers SSLRequest and GSSENCRequest with one byte.
    mutating func expectSingleByteAnswer() {
        if mode == .typed { mode = .singleByte }
    }

    /// Encryption started: frame nothing more.
    mutating func stopFraming() {
        mode = .raw
    }

    /// The client's mode after an untyped message: another untyped one after SSLRequest or
    /// GSSENCRequest (the StartupMessage follows), else typed.
    private static func modeAfterUntyped(_ body: [UInt8]) -> Mode {
        guard body.count >= 4 else { return .typed }
        let code = UInt32(body[0]) << 24 | UInt32(body[1]) << 16 | UInt32(body[2]) << 8 | UInt32(body[3])
        return code == sslRequestCode || code == gssEncRequestCode ? .untyped : .typed
    }

    /// Whether an untyped message asks the server for encryption.
    static func isEncryptionRequest(_ message: PGProxyMessage) -> Bool {
        guard message.type == nil, message.body.count >= 4 else { return false }
        let body = message.body
        let code = UInt32(body[0]) << 24 | UInt32(body[1]) << 16 | UInt32(body[2]) << 8 | UInt32(body[3])
        return code == sslRequestCode || code == gssEncRequestCode
    }
}
