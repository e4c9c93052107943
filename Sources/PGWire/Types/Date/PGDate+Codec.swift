public import NIOCore

/// `PGDate` is `date`: an Int32 day count in binary, ISO text.
extension PGDate: PGCodable {
    public static var pgDataType: PGDataType { .date }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary: buffer.writeInteger(daysSince2000)
        case .text: buffer.writeString(description)
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .date, [.date], format)
        switch format {
        case .binary:
            self.init(daysSince2000: try Self.readExactly(Int32.self, from: &buffer, type, format))
        case .text:
            let text = try Self.readText(from: &buffer, type, format)
            guard let date = PGDate(text: text) else {
                throw Self.decodingError(
                    .invalidValue(reason: "\"\(text)\" is not an ISO date"), type, format)
            }
            self = date
        }
    }
}
