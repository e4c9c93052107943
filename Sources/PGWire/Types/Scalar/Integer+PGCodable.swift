public import NIOCore

/// One codec serves every integer type: it reads any integer PostgreSQL type whose values fit.
///
/// `Int16` reads `int2`; `Int32` reads `int2` and `int4`; `Int64` and `Int` read `int2`, `int4`,
/// `int8` and `oid`; `UInt32` reads `oid`. Each is sent as its own type (`Int` as `int8`).
protocol PGIntegerCodable: FixedWidthInteger, PGCodable {
    /// The integer the value is sent as: the width of its PostgreSQL type.
    associatedtype Wire: FixedWidthInteger
    /// The value at the width of its PostgreSQL type.
    var wire: Wire { get }
    /// The integer types this Swift type can be read from.
    static var acceptedTypes: [PGDataType] { get }
    /// Whether this Swift type can be read from `type`: the check ``acceptedTypes`` lists, made
    /// without building the list.
    static func accepts(_ type: PGDataType) -> Bool
}

extension PGIntegerCodable {
    /// Decodes a column value. The usual case, the binary value of the PostgreSQL type this
    /// Swift type is sent as, is read with one load; anything else (another integer type, text,
    /// NULL, a wrong length) goes through ``init(from:type:format:)`` and its checks.
    ///
    /// - Throws: ``PGDecodingError`` naming `columnName` and `columnIndex`.
    public static func decode(
        from buffer: ByteBuffer?, type: PGDataType, format: PGFormat,
        columnName: String?, columnIndex: Int?
    ) throws(PGDecodingError) -> Self {
        if let buffer, format == .binary, type == pgDataType, buffer.readableBytes == MemoryLayout<Wire>.size {
            return Self(truncatingIfNeeded: buffer.withUnsafeReadableBytes { Wire(bigEndian: $0.loadUnaligned(as: Wire.self)) })
        }
        return try decodeLocated(from: buffer, type: type, format: format, columnName: columnName, columnIndex: columnIndex)
    }

    func encodeInteger(into buffer: inout ByteBuffer, format: PGFormat) {
        switch format {
        case .binary: buffer.writeInteger(wire)
        case .text: buffer.writeString(String(self))
        }
    }

    /// Writes the Int32 length and the value together (one write into the buffer's storage,
    /// rather than a placeholder, the value and the length set afterwards).
    func encodeIntegerWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard format == .binary else { return try encodeMeasuringLength(into: &buffer, format: format) }
        buffer.writeLengthPrefixed(wire)
    }

    /// The length and the value in binary, kept inline when they fit.
    func encodeIntegerInline(into values: inout PGSmallValues) -> Bool {
        values.append(lengthPrefixed: wire)
    }

    static func decodeInteger(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError) -> Self
    {
        try require(type, accepts: accepts(type), acceptedTypes, format)
        let wide: Int64
        switch format {
        case .binary:
            switch type {
            case .int2: wide = Int64(try readExactly(Int16.self, from: &buffer, type, format))
            case .int4: wide = Int64(try readExactly(Int32.self, from: &buffer, type, format))
            case .oid: wide = Int64(try readExactly(UInt32.self, from: &buffer, type, format))
            default: wide = try readExactly(Int64.self, from: &buffer, type, format)
            }
        case .text:
            let text = try readText(from: &buffer, type, format)
            guard let parsed = Int64(text) else {
                throw decodingError(
                    .invalidValue(reason: "\"\(text)\" is not an integer"), type, format)
            }
            wide = parsed
        }
        guard let value = Self(exactly: wide) else {
            throw decodingError(.invalidValue(reason: "\(wide) is out of range"), type, format)
        }
        return value
    }
}

/// `Int16` is `int2`.
extension Int16: PGIntegerCodable {
    var wire: Int16 { self }
    static var acceptedTypes: [PGDataType] { [.int2] }
    static func accepts(_ type: PGDataType) -> Bool { type == .int2 }
    public static var pgDataType: PGDataType { .int2 }
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        encodeInteger(into: &buffer, format: format)
    }
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try encodeIntegerWithLength(into: &buffer, format: format)
    }
    public func encodeInline(into values: inout PGSmallValues) -> Bool { encodeIntegerInline(into: &values) }
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        self = try Self.decodeInteger(from: &buffer, type: type, format: format)
    }
}

/// `Int32` is `int4`; it also reads `int2`.
extension Int32: PGIntegerCodable {
    var wire: Int32 { self }
    static var acceptedTypes: [PGDataType] { [.int4, .int2] }
    static func accepts(_ type: PGDataType) -> Bool { type == .int4 || type == .int2 }
    public static var pgDataType: PGDataType { .int4 }
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        encodeInteger(into: &buffer, format: format)
    }
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try encodeIntegerWithLength(into: &buffer, format: format)
    }
    public func encodeInline(into values: inout PGSmallValues) -> Bool { encodeIntegerInline(into: &values) }
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        self = try Self.decodeInteger(from: &buffer, type: type, format: format)
    }
}

/// `Int64` is `int8`; it also reads `int2`, `int4` and `oid`.
extension Int64: PGIntegerCodable {
    var wire: Int64 { self }
    static var acceptedTypes: [PGDataType] { [.int8, .int4, .int2, .oid] }
    static func accepts(_ type: PGDataType) -> Bool { type == .int8 || type == .int4 || type == .int2 || type == .oid }
    public static var pgDataType: PGDataType { .int8 }
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        encodeInteger(into: &buffer, format: format)
    }
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try encodeIntegerWithLength(into: &buffer, format: format)
    }
    public func encodeInline(into values: inout PGSmallValues) -> Bool { encodeIntegerInline(into: &values) }
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        self = try Self.decodeInteger(from: &buffer, type: type, format: format)
    }
}

/// `Int` is `int8` (64 bits); it also reads `int2`, `int4` and `oid`.
extension Int: PGIntegerCodable {
    var wire: Int64 { Int64(self) }
    static var acceptedTypes: [PGDataType] { [.int8, .int4, .int2, .oid] }
    static func accepts(_ type: PGDataType) -> Bool { type == .int8 || type == .int4 || type == .int2 || type == .oid }
    public static var pgDataType: PGDataType { .int8 }
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        encodeInteger(into: &buffer, format: format)
    }
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try encodeIntegerWithLength(into: &buffer, format: format)
    }
    public func encodeInline(into values: inout PGSmallValues) -> Bool { encodeIntegerInline(into: &values) }
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        self = try Self.decodeInteger(from: &buffer, type: type, format: format)
    }
}

/// `UInt32` is `oid`, PostgreSQL's unsigned 32-bit object identifier.
extension UInt32: PGIntegerCodable {
    var wire: UInt32 { self }
    static var acceptedTypes: [PGDataType] { [.oid] }
    static func accepts(_ type: PGDataType) -> Bool { type == .oid }
    public static var pgDataType: PGDataType { .oid }
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        encodeInteger(into: &buffer, format: format)
    }
    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try encodeIntegerWithLength(into: &buffer, format: format)
    }
    public func encodeInline(into values: inout PGSmallValues) -> Bool { encodeIntegerInline(into: &values) }
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        self = try Self.decodeInteger(from: &buffer, type: type, format: format)
    }
}
