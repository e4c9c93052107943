/// A fault that a ``PGFaultProxy`` makes on the links it relays, to test what a client does
/// when the network or the server misbehaves.
///
/// ```swift
/// let proxy = try await PGFaultProxy.start(to: cluster.host, port: cluster.port)
/// // The client's COMMIT reaches the server, and then the link goes silent both ways.
/// proxy.faults = [.afterMessage(.init(.toServer, "Q", containing: "COMMIT"), .stall)]
/// ```
public enum PGFault: Sendable {
    /// Every chunk in `direction` (both when `nil`) is delayed by `delay`, order kept.
    case latency(Duration, PGFaultDirection? = nil)
    /// Bytes in `direction` (both when `nil`) are written one at a time, each flushed alone.
    case oneByteAtATime(PGFaultDirection? = nil)
    /// Nothing more is forwarded in `direction` (both when `nil`); bytes are dropped and the
    /// sockets stay open, as on a link that went silent (half-open when one direction).
    case stall(PGFaultDirection? = nil)
    /// The first `count` bytes in `direction` pass, then `action` happens.
    case afterBytes(Int, PGFaultDirection, PGFaultAction)
    /// The message that `match` names is forwarded, then `action` happens.
    case afterMessage(PGMessageMatch, PGFaultAction)
    /// `action` happens instead of forwarding the message that `match` names.
    case insteadOfMessage(PGMessageMatch, PGFaultAction)
    /// Every message in `direction` passes through `transform` (typed messages only, after
    /// the startup phase).
    case rewrite(PGFaultDirection, @Sendable (PGProxyMessage) -> PGProxyMessage)
}

/// Which way bytes travel through the proxy.
public enum PGFaultDirection: Sendable, Hashable {
    /// From the client to the server (frontend messages).
    case toServer
    /// From the server to the client (backend messages).
    case toClient
}

/// What a fault does to the link when it triggers.
public enum PGFaultAction: Sendable, Hashable {
    /// Both sockets are closed normally (FIN).
    case close
    /// Both sockets are reset (RST), as a crashed host or a middlebox would.
    case reset
    /// Nothing more is forwarded either way; the sockets stay open (a silent link).
    case stall
}

/// Names the Nth message of a type in one direction, optionally one whose body contains a text.
public struct PGMessageMatch: Sendable, Hashable {
    /// The direction the message travels.
    public var direction: PGFaultDirection
    /// The message's type byte (`Q` Query, `S` Sync, `c` CopyDone, `1` ParseComplete, …).
    public var type: UInt8
    /// Which matching message triggers, counting from 1.
    public var occurrence: Int
    /// Bytes the message's body must contain (UTF-8), if any.
    public var containing: String?

    /// - Parameters:
    ///   - direction: the direction the message travels.
    ///   - type: the message's type byte, as a character (`"Q"`).
    ///   - occurrence: the Nth matching message triggers (1 by default).
    ///   - containing: text the body must contain.
    public init(_ direction: PGFaultDirection, _ type: Character, occurrence: Int = 1, containing: String? = nil) {
        self.direction = direction
        self.type = type.asciiValue ?? 0
        self.occurrence = max(1, occurrence)
        self.containing = containing
    }

    func matches(_ message: PGProxyMessage) -> Bool {
        guard message.type == type else { return false }
        guard let containing, !containing.isEmpty else { return true }
        return message.body.contains(subsequence: Array(containing.utf8))
    }
}

/// One protocol message as the proxy sees it: its type byte (`nil` for the untyped startup
/// messages) and its body without the length.
public struct PGProxyMessage: Sendable, Hashable {
    /// The type byte, `nil` for StartupMessage, SSLRequest and the like.
    public var type: UInt8?
    /// The body, without the type byte and the length.
    public var body: [UInt8]

    /// Creates a message.
    public init(type: UInt8?, body: [UInt8]) {
        self.type = type
        self.body = body
    }

    /// The message's bytes on the wire.
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count + 5)
        if let type { bytes.append(type) }
        let length = UInt32(body.count + 4)
        bytes += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        bytes += body
        return bytes
    }

    /// The body as text up to its first zero byte (a Query's SQL, an error's fields).
    public var text: String {
        String(decoding: body.prefix { $0 != 0 }, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if self[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
