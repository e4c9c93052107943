/// A minimal, strict reader of DER (X.690) type-length-value elements, enough to find a
/// certificate's signature algorithm. Every length is checked against the bytes that are left;
/// anything DER forbids (indefinite or non-minimal lengths, multi-byte tags) is an error.
struct DERReader {
    /// One element: its tag byte and the range of its contents within the reader's bytes.
    struct Element {
        var tag: UInt8
        var contents: Range<Int>
    }

    static let sequenceTag: UInt8 = 0x30
    static let objectIdentifierTag: UInt8 = 0x06
    static let nullTag: UInt8 = 0x05
    static let integerTag: UInt8 = 0x02
    static let bitStringTag: UInt8 = 0x03

    let bytes: [UInt8]
    private var index: Int
    private let end: Int

    /// Reads all of `bytes`.
    init(_ bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count)
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { index == end }

    /// The tag of the next element, without reading it.
    var nextTag: UInt8? { index < end ? bytes[index] : nil }

    /// A reader over the contents of a constructed element.
    func reader(for element: Element) -> DERReader {
        DERReader(bytes, range: element.contents)
    }

    /// Reads the next element, which must have the given tag.
    mutating func read(tag: UInt8, _ what: String) throws(PGAuthenticationError) -> Element {
        let element = try readElement(what)
        guard element.tag == tag else {
            throw PGAuthenticationError(
                .malformedCertificate(
                    "\(what) has tag 0x\(String(element.tag, radix: 16)), expected 0x\(String(tag, radix: 16))"
                ))
        }
        return element
    }

    /// Reads the next element, whatever its tag.
    mutating func readElement(_ what: String) throws(PGAuthenticationError) -> Element {
        guard end - index >= 2 else {
            throw PGAuthenticationError(.malformedCertificate("\(what) is truncated"))
        }
        let tag = bytes[index]
        guard tag & 0x1F != 0x1F else {
            throw PGAuthenticationError(.malformedCertificate("\(what) has a multi-byte tag"))
        }
        var position = index + 1
        let first = bytes[position]
        position += 1
        let length: Int
        if first < 0x80 {
            length = Int(first)
        } else {
            let lengthByteCount = Int(first & 0x7F)
            // 0x80 is BER's indefinite length; four length bytes already allow 4 GiB.
            guard lengthByteCount >= 1, lengthByteCount <= 4, end - position >= lengthByteCount
            else {
                throw PGAuthenticationError(.malformedCertificate("\(what) has an invalid length"))
            }
            var value = 0
            for _ in 0..<lengthByteCount {
                value = value << 8 | Int(bytes[position])
                position += 1
            }
            // DER: the shortest form, so no long form below 128 and no leading zero byte.
            guard value >= 0x80, value >> (8 * (lengthByteCount - 1)) != 0 else {
                throw PGAuthenticationError(
                    .malformedCertificate("\(what) has a non-minimal length"))
            }
            length = value
        }
        guard length <= end - position else {
            throw PGAuthenticationError(
                .malformedCertificate("\(what) runs past the end of its container"))
        }
        index = position + length
        return Element(tag: tag, contents: position..<(position + length))
    }

    /// Checks that nothing is left.
    func expectEnd(_ what: String) throws(PGAuthenticationError) {
        guard isAtEnd else {
            throw PGAuthenticationError(.malformedCertificate("unexpected bytes after \(what)"))
        }
    }

    /// Decodes the contents of an OBJECT IDENTIFIER into its arcs.
    func objectIdentifier(_ element: Element, _ what: String) throws(PGAuthenticationError)
        -> [UInt64]
    {
        let contents = bytes[element.contents]
        guard !contents.isEmpty, let last = contents.last, last & 0x80 == 0 else {
            throw PGAuthenticationError(
                .malformedCertificate("\(what) is not a valid object identifier"))
        }
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var startsArc = true
        for byte in contents {
            // A leading 0x80 would be a non-minimal encoding; the bound keeps `value` from overflowing.
            guard !(startsArc && byte == 0x80), value < (1 << 56) else {
                throw PGAuthenticationError(
                    .malformedCertificate("\(what) is not a valid object identifier"))
            }
            value = value << 7 | UInt64(byte & 0x7F)
            startsArc = byte & 0x80 == 0
            if startsArc {
                if arcs.isEmpty {
                    // The first subidentifier packs the first two arcs as 40 * first + second.
                    let first = min(value / 40, 2)
                    arcs = [first, value - 40 * first]
                } else {
                    arcs.append(value)
                }
                value = 0
            }
        }
        return arcs
    }
}
