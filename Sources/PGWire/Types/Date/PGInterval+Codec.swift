public import NIOCore

/// `PGInterval` is `interval`: Int64 microseconds, Int32 days, Int32 months in binary (in that
/// order), `postgres`-style text.
extension PGInterval: PGCodable {
    public static var pgDataType: PGDataType { .interval }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary: buffer.writeMultipleIntegers(microseconds, days, months)
        case .text: buffer.writeString(description)
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .interval, [.interval], format)
        switch format {
        case .binary:
            guard buffer.readableBytes == 16,
                let (micros, days, months) = buffer.readMultipleIntegers(
                    as: (Int64, Int32, Int32).self)
            else {
                throw Self.decodingError(
                    .invalidLength(expected: 16, actual: buffer.readableBytes), type, format)
            }
            self.init(months: months, days: days, microseconds: micros)
        case .text:
            let text = try Self.readText(from: &buffer, type, format)
            guard let interval = PGInterval(text: text) else {
                throw Self.decodingError(
                    .invalidValue(reason: "\"\(text)\" is not a postgres-style interval"), type,
                    format)
            }
            self = interval
        }
    }
}
