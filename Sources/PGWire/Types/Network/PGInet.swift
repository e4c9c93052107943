/// An IPv4 or IPv6 host address or network: PostgreSQL's `inet` and `cidr`.
///
/// `inet` holds a host address with an optional netmask (`192.168.1.5/24`); `cidr` holds a
/// network, whose bits past the prefix are zero (`10.0.0.0/8`). The text form is the server's:
/// `/n` is shown for `inet` only when the prefix is shorter than the address, always for `cidr`;
/// IPv6 compresses the longest run of zero groups and shows IPv4-mapped addresses dotted.
///
/// ```swift
/// let host = PGInet("192.168.1.5/24")   // Optional: nil for text that is not an address
/// host?.prefixLength                     // 24
/// host?.address                          // [192, 168, 1, 5]
/// ```
public struct PGInet: Hashable, Sendable, CustomStringConvertible {
    /// The address family.
    public enum Family: UInt8, Hashable, Sendable {
        /// IPv4: 4 address bytes (PostgreSQL's `PGSQL_AF_INET`, 2).
        case ipv4 = 2
        /// IPv6: 16 address bytes (PostgreSQL's `PGSQL_AF_INET6`, 3).
        case ipv6 = 3

        /// The number of address bytes.
        public var addressLength: Int { self == .ipv4 ? 4 : 16 }
    }

    /// The address family.
    public var family: Family
    /// The address bytes, network order: 4 for IPv4, 16 for IPv6.
    public private(set) var address: [UInt8]
    /// The netmask length in bits (32 or 128 for a single host).
    public private(set) var prefixLength: Int
    /// Whether this is a `cidr` network rather than an `inet` address.
    public var isCIDR: Bool

    /// An address or network; `nil` when the byte count does not fit the family, the prefix is
    /// longer than the address, or a `cidr` has bits set past its prefix.
    public init?(family: Family, address: [UInt8], prefixLength: Int? = nil, isCIDR: Bool = false) {
        let bits = family.addressLength * 8
        let prefix = prefixLength ?? bits
        guard address.count == family.addressLength, (0...bits).contains(prefix) else { return nil }
        if isCIDR {
            for bit in prefix..<bits where address[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 {
                return nil
            }
        }
        self.family = family
        self.address = address
        self.prefixLength = prefix
        self.isCIDR = isCIDR
    }

    /// Parses the server's text form of `inet` (or of `cidr` when `isCIDR`).
    public init?(_ text: String, isCIDR: Bool = false) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let host = parts.first else { return nil }
        let family: Family
        let bytes: [UInt8]
        if let ipv4 = Self.parseIPv4(host) {
            (family, bytes) = (.ipv4, ipv4)
        } else if let ipv6 = Self.parseIPv6(host) {
            (family, bytes) = (.ipv6, ipv6)
        } else {
            return nil
        }
        var prefix: Int? = nil
        if parts.count == 2 {
            guard parts[1].count <= 3, parts[1].allSatisfy(\.isASCII), let value = Int(parts[1])
            else { return nil }
            prefix = value
        }
        self.init(family: family, address: bytes, prefixLength: prefix, isCIDR: isCIDR)
    }

    /// The server's text output.
    public var description: String {
        var text = family == .ipv4 ? address.map(String.init).joined(separator: ".") : ipv6Text
        if isCIDR || prefixLength != family.addressLength * 8 { text += "/\(prefixLength)" }
        return text
    }

    private var ipv6Text: String {
        var groups: [Int] = []
        for index in stride(from: 0, to: 16, by: 2) {
            groups.append(Int(address[index]) << 8 | Int(address[index + 1]))
        }
        // The first longest run of two or more zero groups becomes "::".
        var best = (start: -1, length: 0)
        var current = (start: -1, length: 0)
        for (index, group) in groups.enumerated() {
            if group == 0 {
                current = current.start < 0 ? (index, 1) : (current.start, current.length + 1)
                if current.length > best.length { best = current }
            } else {
                current = (-1, 0)
            }
        }
        if best.length < 2 { best = (-1, 0) }
        var text = ""
        var index = 0
        while index < 8 {
            if index == best.start {
                text += "::"
                index += best.length
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            // An IPv4-compatible or IPv4-mapped address ends in dotted form.
            if index == 6 && best.start == 0
                && (best.length == 6 || (best.length == 5 && groups[5] == 0xFFFF))
            {
                text += address[12...].map(String.init).joined(separator: ".")
                break
            }
            text += String(groups[index], radix: 16)
            index += 1
        }
        return text
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let byte = UInt8(part)
            else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.count <= 45, text.contains(":") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let ipv4 = parseIPv4(piece) {
                    bytes += ipv4
                    continue
                }
                guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit),
                    let group = UInt16(piece, radix: 16)
                else { return nil }
                bytes += [UInt8(group >> 8), UInt8(group & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
