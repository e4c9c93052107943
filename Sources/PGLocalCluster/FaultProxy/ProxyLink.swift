/// What the proxy does with the bytes of one relayed connection, decided without I/O: which
/// bytes go on, and when a fault closes, resets or silences the link.
struct ProxyLink {
    /// One thing for the shell to do, in order.
    enum Step: Equatable {
        /// Write these bytes on in `direction`.
        case forward([UInt8], PGFaultDirection)
        /// The link fails so.
        case act(PGFaultAction)
    }

    private var toServer = ProxyMessageFramer(mode: .untyped)
    private var toClient = ProxyMessageFramer(mode: .typed)
    private var forwardedBytes: [PGFaultDirection: Int] = [:]
    /// How many messages each fault (by its index in the list) has matched.
    private var matches: [Int: Int] = [:]
    /// Whether a `stall` action silenced the link.
    private(set) var isStalled = false
    /// Whether a `close` or `reset` action ended the link.
    private(set) var isEnded = false

    /// The fault list changed: counts start again.
    mutating func faultsChanged() {
        matches.removeAll()
        forwardedBytes.removeAll()
    }

    /// Bytes arrived travelling in `direction`.
    mutating func received(_ bytes: [UInt8], travelling direction: PGFaultDirection, faults: [PGFault]) -> [Step] {
        guard !isEnded, !isStalled else { return [] }
        let pieces: [ProxyMessageFramer.Piece]
        switch direction {
        case .toServer: pieces = toServer.append(bytes)
        case .toClient: pieces = toClient.append(bytes)
        }
        // A stalled direction still frames, so that counting stays right if it resumes.
        let silenced = faults.contains { if case .stall(let stalled) = $0 { stalled == nil || stalled == direction } else { false } }
        var steps: [Step] = []
        for piece in pieces {
            switch piece {
            case .raw(let raw):
                if !silenced { forward(raw, direction, faults: faults, into: &steps) }
            case .encryptionAnswer(let answer):
                // 'S' and 'G' start encryption: the client's bytes cannot be framed either.
                if answer != UInt8(ascii: "N") { toServer.stopFraming() }
                if !silenced { forward([answer], direction, faults: faults, into: &steps) }
            case .message(var message):
                noteEncryption(message, travelling: direction)
                var after: PGFaultAction?
                for (index, fault) in faults.enumerated() {
                    switch fault {
                    case .insteadOfMessage(let match, let action) where match.direction == direction:
                        if count(message, against: match, index: index) {
                            steps.append(.act(action))
                            apply(action)
                            return steps
                        }
                    case .afterMessage(let match, let action) where match.direction == direction:
                        if after == nil, count(message, against: match, index: index) { after = action }
                    case .rewrite(let rewritten, let transform) where rewritten == direction && message.type != nil:
                        message = transform(message)
                    default:
                        break
                    }
                }
                if !silenced { forward(message.bytes, direction, faults: faults, into: &steps) }
                if isEnded || isStalled { return steps }
                if let after {
                    steps.append(.act(after))
                    apply(after)
                    return steps
                }
            }
            if isEnded || isStalled { return steps }
        }
        return steps
    }

    /// Forwards `bytes`, unless an `afterBytes` fault for this direction triggers within them.
    private mutating func forward(_ bytes: [UInt8], _ direction: PGFaultDirection, faults: [PGFault], into steps: inout [Step]) {
        let before = forwardedBytes[direction, default: 0]
        forwardedBytes[direction] = before + bytes.count
        for fault in faults {
            guard case .afterBytes(let limit, let faulted, let action) = fault, faulted == direction,
                before + bytes.count >= limit
            else { continue }
            let passing = max(0, limit - before)
            if passing > 0 { steps.append(.forward(Array(bytes.prefix(passing)), direction)) }
            steps.append(.act(action))
            apply(action)
            return
        }
        if !bytes.isEmpty { steps.append(.forward(bytes, direction)) }
    }

    private mutating func count(_ message: PGProxyMessage, against match: PGMessageMatch, index: Int) -> Bool {
        guard match.matches(message) else { return false }
        let seen = matches[index, default: 0] + 1
        matches[index] = seen
        return seen == match.occurrence
    }

    /// After the client asks for encryption, the server's next byte is its answer.
    private mutating func noteEncryption(_ message: PGProxyMessage, travelling direction: PGFaultDirection) {
        if direction == .toServer, ProxyMessageFramer.isEncryptionRequest(message) {
            toClient.expectSingleByteAnswer()
        }
    }

    private mutating func apply(_ action: PGFaultAction) {
        switch action {
        case .stall: isStalled = true
        case .close, .reset: isEnded = true
        }
    }
}
