public import NIOCore

/// `PGInet` is `inet`, or `cidr` when ``PGInet/isCIDR`` (it reads both). Binary is
/// `inet_send`'s layout: family byte, prefix bits, is-cidr byte, address length, address bytes.
///
/// The Parse type is `inet`; a `cidr` value is still accepted by a `cidr` column through the
/// server's assignment cast.
extension PGInet: PGCodable {
    public static var pgDataType: PGDataType { .inet }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        switch format {
        case .binary:
            buffer.writeMultipleIntegers(
                family.rawValue, UInt8(prefixLength), UInt8(isCIDR ? 1 : 0), UInt8(address.count))
            buffer.writeBytes(address)
        case .text:
            buffer.writeString(description)
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .inet || type == .cidr, [.inet, .cidr], format)
        let value: PGInet?
        switch format {
        case .binary:
            guard
                let (rawFamily, bits, cidr, length) = buffer.readMultipleIntegers(
                    as: (UInt8, UInt8, UInt8, UInt8).self)
            else {
                throw Self.decodingError(
                    .invalidLength(expected: 4, actual: buffer.readableBytes), type, format)
            }
            guard let family = Family(rawValue: rawFamily), Int(length) == family.addressLength
            else {
                throw Self.decodingError(
                    .invalidValue(
                        reason: "invalid address family \(rawFamily) or length \(length)"), type,
                    format)
            }
            guard buffer.readableBytes == Int(length),
                let bytes = buffer.readBytes(length: Int(length))
            else {
                throw Self.decodingError(
                    .invalidLength(expected: 4 + Int(length), actual: 4 + buffer.readableBytes),
                    type, format)
            }
            value = PGInet(
                family: family, address: bytes, prefixLength: Int(bits), isCIDR: cidr != 0)
        case .text:
            let text = try Self.readText(from: &buffer, type, format)
            value = PGInet(text, isCIDR: type == .cidr)
        }
        guard let value else {
            throw Self.decodingError(
                .invalidValue(reason: "not a valid \(type) value"), type, format)
        }
        self = value
    }
}
