public import NIOCore

/// `PGTimestamp` is `timestamptz` and reads `timestamp` too: an Int64 microsecond count in
/// binary, ISO text (with `+00` for `timestamptz`).
extension PGTimestamp: PGCodable {
    public static var pgDataType: PGDataType { .timestamptz }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try requireServerRange()
        switch format {
        case .binary: buffer.writeInteger(microsecondsSince2000)
        case .text: buffer.writeString(description)
        }
    }

    /// Throws for a timestamp outside the range the server stores (infinities are inside).
    private func requireServerRange() throws(PGEncodingError) {
        guard isInServerRange else { throw encodingError("timestamp out of range") }
    }

    /// Binary: the length and the microsecond count in one write.
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard format == .binary else { return try encodeMeasuringLength(into: &buffer, format: format) }
        try requireServerRange()
        buffer.writeLengthPrefixed(microsecondsSince2000)
    }

    /// The length and the microsecond count, kept inline when they fit; a timestamp out of range
    /// is left to ``encodeWithLength(into:format:)``, which reports it.
    public func encodeInline(into values: inout PGSmallValues) -> Bool {
        isInServerRange && values.append(lengthPrefixed: microsecondsSince2000)
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .timestamptz || type == .timestamp, [.timestamptz, .timestamp], format)
        switch format {
        case .binary:
            self.init(
                microsecondsSince2000: try Self.readExactly(Int64.self, from: &buffer, type, format)
            )
        case .text:
            let text = try Self.readText(from: &buffer, type, format)
            guard let value = PGTimestamp(text: text) else {
                throw Self.decodingError(
                    .invalidValue(reason: "\"\(text)\" is not an ISO timestamp"), type, format)
            }
            self = value
        }
        // As `encode` refuses it: found by the `copy` fuzz entry (`Fixtures/fuzz/copy/
        // timestamp-out-of-range.bin`), a value read could not be written back.
        guard isInServerRange else {
            throw Self.decodingError(.invalidValue(reason: "timestamp out of range"), type, format)
        }
    }
}
