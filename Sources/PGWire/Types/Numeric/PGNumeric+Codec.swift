public import NIOCore

/// `PGNumeric` is `numeric`.
///
/// Binary is `numeric_send`'s layout: Int16 digit count, Int16 weight, UInt16 sign (0x0000
/// positive, 0x4000 negative, 0xC000 NaN, 0xD000 +Infinity, 0xF000 -Infinity), UInt16 display
/// scale, then the base-10000 digits as Int16. Decoding rejects digits above 9999, unknown
/// signs, scales above 16383 and nonzero digits hidden by the scale.
extension PGNumeric: PGCodable {
    public static var pgDataType: PGDataType { .numeric }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary: writeBinary(into: &buffer, withLength: false)
        case .text: buffer.writeString(description)
        }
    }

    /// Binary: the length, the header and the digits in one write.
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard format == .binary else { return try encodeMeasuringLength(into: &buffer, format: format) }
        writeBinary(into: &buffer, withLength: true)
    }

    /// `numeric_send`'s layout, written through one pointer rather than one buffer write per
    /// integer; with the Int32 length before it when `withLength`.
    private func writeBinary(into buffer: inout ByteBuffer, withLength: Bool) {
        let valueSize = 8 + 2 * digits.count
        let size = (withLength ? 4 : 0) + valueSize
        buffer.writeReserved(size) { raw in
            var offset = 0
            func put<Integer: FixedWidthInteger>(_ value: Integer) {
                raw.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Integer.self)
                offset += MemoryLayout<Integer>.size
            }
            if withLength { put(Int32(truncatingIfNeeded: valueSize)) }
            put(UInt16(truncatingIfNeeded: digits.count))
            put(Int16(truncatingIfNeeded: weight))
            put(sign.rawValue)
            put(UInt16(truncatingIfNeeded: scale))
            for digit in digits { put(digit) }
            return size
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .numeric, [.numeric], format)
        switch format {
        case .text:
            let text = Array(buffer.readableBytesView)
            buffer.moveReaderIndex(forwardBy: text.count)
            switch Self.parse(text) {
            case .success(let value):
                self = value
            case .failure(.overflow):
                throw Self.decodingError(
                    .invalidValue(reason: "value overflows numeric format"), type, format)
            case .failure(.syntax):
                throw Self.decodingError(
                    .invalidValue(reason: "invalid numeric text"), type, format)
            }
        case .binary:
            self = try Self.decodeBinary(from: &buffer, type: type, format: format)
        }
    }

    private static func decodeBinary(
        from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat
    )
        throws(PGDecodingError) -> PGNumeric
    {
        guard
            let (count, weight, rawSign, dscale) = buffer.readMultipleIntegers(
                as: (UInt16, Int16, UInt16, UInt16).self)
        else {
            throw decodingError(
                .invalidLength(expected: 8, actual: buffer.readableBytes), type, format)
        }
        guard buffer.readableBytes == 2 * Int(count) else {
            throw decodingError(
                .invalidLength(expected: 8 + 2 * Int(count), actual: 8 + buffer.readableBytes),
                type, format)
        }
        guard let sign = Sign(rawValue: rawSign) else {
            throw decodingError(
                .invalidValue(reason: "invalid numeric sign 0x\(String(rawSign, radix: 16))"), type,
                format)
        }
        guard Int(dscale) <= maximumScale else {
            throw decodingError(
                .invalidValue(reason: "numeric scale \(dscale) above \(maximumScale)"), type, format
            )
        }
        var digits: [UInt16] = []
        digits.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let digit = buffer.readInteger(as: UInt16.self), digit <= 9999 else {
                throw decodingError(
                    .invalidValue(reason: "numeric digit outside 0...9999"), type, format)
            }
            digits.append(digit)
        }
        guard sign == .positive || sign == .negative else {
            // The server sends a meaningless scale with the infinities; only the sign counts.
            return PGNumeric(sign: sign, digits: [], weight: 0, dscale: 0)
        }
        var firstWeight = Int(weight)
        var first = 0
        var last = digits.count
        while first < last && digits[first] == 0 {
            first += 1
            firstWeight -= 1
        }
        while last > first && digits[last - 1] == 0 { last -= 1 }
        guard first < last else {
            return PGNumeric(sign: .positive, digits: [], weight: 0, dscale: Int(dscale))
        }
        // Digits past the display scale would be lost on output: the value is corrupt.
        let lastWeight = firstWeight - (last - first - 1)
        if lastWeight < 0 {
            var shown = 4 * -lastWeight
            var lastDigit = digits[last - 1]
            while lastDigit % 10 == 0 {
                lastDigit /= 10
                shown -= 1
            }
            guard shown <= Int(dscale) else {
                throw decodingError(
                    .invalidValue(reason: "numeric digits beyond its scale \(dscale)"), type, format
                )
            }
        }
        // Trimmed in place: a copy of the middle would be a second allocation per value.
        if last < digits.count { digits.removeSubrange(last...) }
        if first > 0 { digits.removeSubrange(..<first) }
        return PGNumeric(sign: sign, digits: digits, weight: firstWeight, dscale: Int(dscale))
    }
}
