public import NIOCore

/// One codec serves `Float` (`float4`) and `Double` (`float8`, also reads `float4`).
///
/// Binary is the IEEE 754 bit pattern, big-endian. Text uses PostgreSQL's spellings of the
/// special values, `NaN`, `Infinity` and `-Infinity`, and the shortest digits that round-trip.
protocol PGFloatCodable: BinaryFloatingPoint, LosslessStringConvertible, PGCodable {
    /// The bit pattern the value is sent as: the width of its PostgreSQL type.
    associatedtype Wire: FixedWidthInteger
    /// The value's bit pattern at the width of its PostgreSQL type.
    var wire: Wire { get }
    static var acceptedTypes: [PGDataType] { get }
    /// Whether this Swift type can be read from `type`: the check ``acceptedTypes`` lists, made
    /// without building the list.
    static func accepts(_ type: PGDataType) -> Bool
}

extension PGFloatCodable {
    func encodeFloat(into buffer: inout ByteBuffer, format: PGFormat) {
        switch format {
        case .binary:
            buffer.writeInteger(wire)
        case .text:
            if isNaN {
                buffer.writeStaticString("NaN")
            } else if isInfinite {
                buffer.writeStaticString(self < 0 ? "-Infinity" : "Infinity")
            } else {
                buffer.writeString(description)
            }
        }
    }

    /// Binary: the length and the bit pattern in one write.
    func encodeFloatWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard format == .binary else { return try encodeMeasuringLength(into: &buffer, format: format) }
        buffer.writeLengthPrefixed(wire)
    }

    /// The length and the bit pattern, kept inline when they fit.
    func encodeFloatInline(into values: inout PGSmallValues) -> Bool {
        values.append(lengthPrefixed: wire)
    }

    static func decodeFloat(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError) -> Self
    {
        try require(type, accepts: accepts(type), acceptedTypes, format)
        switch format {
        case .binary:
            if type == .float4 {
                return Self(
                    Float(bitPattern: try readExactly(UInt32.self, from: &buffer, type, format)))
            }
            return Self(
                Double(bitPattern: try readExactly(UInt64.self, from: &buffer, type, format)))
        case .text:
            let text = try readText(from: &buffer, type, format)
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                // Swift would also take "nan" and "inf", which PostgreSQL never prints: refuse them.
                guard let first = text.utf8.first, first != UInt8(ascii: "n"),
                    first != UInt8(ascii: "i"), !text.contains("n"), let value = Self(text)
                else {
                    throw decodingError(
                        .invalidValue(reason: "\"\(text)\" is not a number"), type, format)
                }
                return value
            }
        }
    }
}

/// `Float` is `float4`.
extension Float: PGFloatCodable {
    var wire: UInt32 { bitPattern }
    static var acceptedTypes: [PGDataType] { [.float4] }
    static func accepts(_ type: PGDataType) -> Bool { type == .float4 }
    public static var pgDataType: PGDataType { .float4 }
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        encodeFloat(into: &buffer, format: format)
    }
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try encodeFloatWithLength(into: &buffer, format: format)
    }
    public func encodeInline(into values: inout PGSmallValues) -> Bool { encodeFloatInline(into: &values) }
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        self = try Self.decodeFloat(from: &buffer, type: type, format: format)
    }
}

/// `Double` is `float8`; it also reads `float4` exactly.
extension Double: PGFloatCodable {
    var wire: UInt64 { bitPattern }
    static var acceptedTypes: [PGDataType] { [.float8, .float4] }
    static func accepts(_ type: PGDataType) -> Bool { type == .float8 || type == .float4 }
    public static var pgDataType: PGDataType { .float8 }
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        encodeFloat(into: &buffer, format: format)
    }
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try encodeFloatWithLength(into: &buffer, format: format)
    }
    public func encodeInline(into values: inout PGSmallValues) -> Bool { encodeFloatInline(into: &values) }
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        self = try Self.decodeFloat(from: &buffer, type: type, format: format)
    }
}
