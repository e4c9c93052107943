public import NIOCore

/// `PGRange<Bound>` is `Bound`'s range type, in binary (`range_send`) or text; it reads any
/// built-in range type whose bounds `Bound` reads (`PGRange<PGTimestamp>` reads `tsrange` and
/// `tstzrange`).
///
/// ```swift
/// try PGRange<Int32>(1..<10).encode(into: &buffer)   // 02 00000004 00000001 00000004 0000000a
/// let seats = try PGRange<Int32>.decode(from: cell, type: .int4range, format: .binary)
/// ```
extension PGRange: PGCodable {
    public static var pgDataType: PGDataType { Bound.pgRangeType }

    /// Writes the range: a flags byte then each bound with its length in binary;
    /// `[lower,upper)` with quoted bounds, or `empty`, in text.
    ///
    /// - Throws: ``PGEncodingError`` when a bound cannot be encoded.
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary:
            var flags: UInt8 = 0
            if isEmpty {
                flags = PGRangeFlag.empty
            } else {
                if lower.isInclusive { flags |= PGRangeFlag.lowerInclusive }
                if upper.isInclusive { flags |= PGRangeFlag.upperInclusive }
                if lower.bound == nil { flags |= PGRangeFlag.lowerUnbounded }
                if upper.bound == nil { flags |= PGRangeFlag.upperUnbounded }
            }
            buffer.writeInteger(flags)
            guard !isEmpty else { return }
            try lower.bound?.encodeWithLength(into: &buffer, format: .binary)
            try upper.bound?.encodeWithLength(into: &buffer, format: .binary)
        case .text:
            guard !isEmpty else {
                buffer.writeStaticString("empty")
                return
            }
            buffer.writeStaticString(lower.isInclusive ? "[" : "(")
            try Self.writeTextBound(lower.bound, into: &buffer)
            buffer.writeStaticString(",")
            try Self.writeTextBound(upper.bound, into: &buffer)
            buffer.writeStaticString(upper.isInclusive ? "]" : ")")
        }
    }

    private static func writeTextBound(_ bound: Bound?, into buffer: inout ByteBuffer) throws(PGEncodingError) {
        guard let bound else { return }
        var text = ByteBuffer()
        try bound.encode(into: &text, format: .text)
        PGArrayText.writeQuoted(text.readableBytesView, into: &buffer)
    }

    /// Reads a range of a built-in range type whose subtype `Bound` reads.
    ///
    /// - Throws: ``PGDecodingError``: a type mismatch for a type that is no range, an invalid
    ///   value for unknown flags or malformed text, and the bound's own errors.
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError) {
        guard let subtype = type.rangeSubtype else {
            throw Self.decodingError(.typeMismatch(expected: [Bound.pgRangeType], actual: type), type, format)
        }
        switch format {
        case .binary:
            self = try Self.readBinary(from: &buffer, subtype: subtype, type, format)
            try Self.requireEnd(of: buffer, type, format)
        case .text:
            let bytes = Array(buffer.readableBytesView)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            let parts: PGRangeText.Parts
            do throws(PGRangeText.Failure) {
                parts = try PGRangeText.parseRange(bytes)
            } catch {
                throw Self.decodingError(.invalidValue(reason: error.reason), type, format)
            }
            self = try Self(parts: parts, subtype: subtype, type, format)
        }
    }

    /// Reads one `range_send` value (a multirange holds several), leaving what follows.
    static func readBinary(from buffer: inout ByteBuffer, subtype: PGDataType, _ type: PGDataType, _ format: PGFormat)
        throws(PGDecodingError) -> PGRange
    {
        let flags = try readInteger(UInt8.self, from: &buffer, type, format)
        guard flags & ~PGRangeFlag.all == 0 else {
            throw decodingError(.invalidValue(reason: "unknown range flags \(flags)"), type, format)
        }
        if flags & PGRangeFlag.empty != 0 { return .empty }
        func endpoint(unbounded: UInt8, inclusive: UInt8) throws(PGDecodingError) -> Endpoint {
            if flags & unbounded != 0 { return .unbounded }
            let length = try readInteger(Int32.self, from: &buffer, type, format)
            guard length >= 0, let slice = buffer.readSlice(length: Int(length)) else {
                throw decodingError(.invalidLength(expected: Int(length), actual: buffer.readableBytes), type, format)
            }
            let bound = try Bound.decode(from: slice, type: subtype, format: .binary)
            return flags & inclusive != 0 ? .inclusive(bound) : .exclusive(bound)
        }
        let lower = try endpoint(unbounded: PGRangeFlag.lowerUnbounded, inclusive: PGRangeFlag.lowerInclusive)
        let upper = try endpoint(unbounded: PGRangeFlag.upperUnbounded, inclusive: PGRangeFlag.upperInclusive)
        return PGRange(lower: lower, upper: upper)
    }

    /// The range of parsed text, its bounds decoded as `subtype` text.
    init(parts: PGRangeText.Parts, subtype: PGDataType, _ type: PGDataType, _ format: PGFormat) throws(PGDecodingError) {
        guard !parts.isEmpty else {
            self = .empty
            return
        }
        func endpoint(_ text: [UInt8]?, inclusive: Bool) throws(PGDecodingError) -> Endpoint {
            guard let text else { return .unbounded }
            let bound = try Bound.decode(from: ByteBuffer(bytes: text), type: subtype, format: .text)
            return inclusive ? .inclusive(bound) : .exclusive(bound)
        }
        self.init(
            lower: try endpoint(parts.lower, inclusive: parts.lowerInclusive),
            upper: try endpoint(parts.upper, inclusive: parts.upperInclusive))
    }
}

/// The bits of `range_send`'s flags byte.
enum PGRangeFlag {
    static let empty: UInt8 = 0x01
    static let lowerInclusive: UInt8 = 0x02
    static let upperInclusive: UInt8 = 0x04
    static let lowerUnbounded: UInt8 = 0x08
    static let upperUnbounded: UInt8 = 0x10
    static let all: UInt8 = 0x1F
}

/// `PGMultirange<Bound>` is `Bound`'s multirange type: in binary an Int32 count then each range
/// with its Int32 length; in text `{[1,3),[5,8)}`.
///
/// ```swift
/// let free = try PGMultirange<Int32>.decode(from: cell, type: .int4multirange, format: .binary)
/// ```
extension PGMultirange: PGCodable {
    public static var pgDataType: PGDataType { Bound.pgMultirangeType }

    /// Writes the ranges.
    ///
    /// - Throws: ``PGEncodingError`` when a bound cannot be encoded or a range is too large.
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary:
            buffer.writeInteger(Int32(truncatingIfNeeded: ranges.count))
            for range in ranges { try range.encodeWithLength(into: &buffer, format: .binary) }
        case .text:
            buffer.writeStaticString("{")
            for (index, range) in ranges.enumerated() {
                if index > 0 { buffer.writeStaticString(",") }
                try range.encode(into: &buffer, format: .text)
            }
            buffer.writeStaticString("}")
        }
    }

    /// Reads a multirange of a built-in multirange type whose bounds `Bound` reads.
    ///
    /// - Throws: ``PGDecodingError`` for another type, malformed bytes or text, and the bounds'
    ///   own errors.
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError) {
        guard let rangeType = type.multirangeRange, let subtype = rangeType.rangeSubtype else {
            throw Self.decodingError(.typeMismatch(expected: [Bound.pgMultirangeType], actual: type), type, format)
        }
        switch format {
        case .binary:
            let count = try Self.readInteger(Int32.self, from: &buffer, type, format)
            // Each range takes at least its length and a flags byte.
            guard count >= 0, Int(count) <= buffer.readableBytes / 5 else {
                throw Self.decodingError(
                    .invalidValue(reason: "\(count) ranges in \(buffer.readableBytes) bytes"), type, format)
            }
            var ranges: [PGRange<Bound>] = []
            ranges.reserveCapacity(Int(count))
            for _ in 0..<count {
                let length = try Self.readInteger(Int32.self, from: &buffer, type, format)
                guard length >= 0, var slice = buffer.readSlice(length: Int(length)) else {
                    throw Self.decodingError(.invalidLength(expected: Int(length), actual: buffer.readableBytes), type, format)
                }
                ranges.append(try PGRange<Bound>.readBinary(from: &slice, subtype: subtype, type, format))
                try Self.requireEnd(of: slice, type, format)
            }
            try Self.requireEnd(of: buffer, type, format)
            self.init(ranges)
        case .text:
            let bytes = Array(buffer.readableBytesView)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            let parts: [PGRangeText.Parts]
            do throws(PGRangeText.Failure) {
                parts = try PGRangeText.parseMultirange(bytes)
            } catch {
                throw Self.decodingError(.invalidValue(reason: error.reason), type, format)
            }
            var ranges: [PGRange<Bound>] = []
            for part in parts { ranges.append(try PGRange<Bound>(parts: part, subtype: subtype, type, format)) }
            self.init(ranges)
        }
    }
}
