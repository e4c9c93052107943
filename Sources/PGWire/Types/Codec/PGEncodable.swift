public import NIOCore

/// A Swift value that can be sent to PostgreSQL as a parameter (or an array element).
///
/// A conforming type names the PostgreSQL type it is sent as (the OID given in Parse) and the
/// format it prefers, and writes its value bytes in either format. The caller writes the Int32
/// length prefix of the protocol; ``encodeWithLength(into:format:)`` does both and writes the
/// length -1 (SQL NULL) for `nil`.
///
/// ```swift
/// var buffer = ByteBuffer()
/// try Int32(42).encode(into: &buffer)                 // 00 00 00 2a
/// try Optional<Int32>.none.encodeWithLength(into: &buffer)   // ff ff ff ff
/// ```
public protocol PGEncodable: Sendable {
    /// The PostgreSQL type this Swift type is sent as.
    static var pgDataType: PGDataType { get }

    /// The format this type is sent in by default; ``PGFormat/binary`` unless a type says otherwise.
    static var pgFormat: PGFormat { get }

    /// Writes the value's bytes, without a length prefix, in `format`.
    ///
    /// - Throws: ``PGEncodingError`` when the value cannot be represented as ``pgDataType``.
    func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError)

    /// Writes the Int32 length and then the value's bytes in `format`, or the length -1 for NULL.
    ///
    /// The default implementation writes the value through ``encode(into:format:)``; `Optional`
    /// writes -1 for `nil`. On error nothing is left in `buffer`.
    ///
    /// - Throws: ``PGEncodingError`` when the value cannot be represented as ``pgDataType``.
    func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError)

    /// Writes the Int32 length and the value's bytes in the type's ``pgFormat``, as
    /// ``encodeWithLength(into:format:)`` would, into `values` when they fit there: a statement
    /// whose values all do needs no buffer for them (see ``PGSmallValues``).
    ///
    /// The default implementation writes nothing. A type also declines a value its other methods
    /// would reject, so that they report the error.
    ///
    /// - Returns: whether the value was written; `false` leaves `values` unchanged.
    func encodeInline(into values: inout PGSmallValues) -> Bool
}

extension PGEncodable {
    /// Binary: every type pgwire-swift has a codec for is sent in binary unless it says otherwise.
    public static var pgFormat: PGFormat { .binary }

    /// Writes the value's bytes, without a length prefix, in the type's ``pgFormat``.
    ///
    /// - Throws: ``PGEncodingError`` when the value cannot be represented as ``pgDataType``.
    public func encode(into buffer: inout ByteBuffer) throws(PGEncodingError) {
        try encode(into: &buffer, format: Self.pgFormat)
    }

    /// Writes the Int32 length and the value's bytes in the type's ``pgFormat`` (-1 for NULL).
    ///
    /// - Throws: ``PGEncodingError`` when the value cannot be represented as ``pgDataType``.
    public func encodeWithLength(into buffer: inout ByteBuffer) throws(PGEncodingError) {
        try encodeWithLength(into: &buffer, format: Self.pgFormat)
    }

    public func encodeWithLength(into buffer: inout ByteBuffer, format: PGFormat)
        throws(PGEncodingError)
    {
        try encodeMeasuringLength(into: &buffer, format: format)
    }

    /// Writes nothing: the value is encoded into a buffer.
    public func encodeInline(into values: inout PGSmallValues) -> Bool { false }

    /// What ``encodeWithLength(into:format:)`` does by default: a placeholder length, the
    /// value through ``encode(into:format:)``, then the length it took. Types whose binary size
    /// is known beforehand write both at once instead, and call this for text.
    func encodeMeasuringLength(into buffer: inout ByteBuffer, format: PGFormat)
        throws(PGEncodingError)
    {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        do throws(PGEncodingError) {
            try encode(into: &buffer, format: format)
        } catch {
            buffer.moveWriterIndex(to: lengthIndex)
            throw error
        }
        let length = buffer.writerIndex - lengthIndex - 4
        guard let length32 = Int32(exactly: length) else {
            buffer.moveWriterIndex(to: lengthIndex)
            throw lengthLimitError(length)
        }
        buffer.setInteger(length32, at: lengthIndex)
    }

    /// The error for a value of `length` bytes, more than a protocol length (Int32) can say.
    func lengthLimitError(_ length: Int) -> PGEncodingError {
        encodingError("the value is \(length) bytes, above the protocol's limit")
    }

    /// An encoding error naming this type and its PostgreSQL type.
    func encodingError(_ reason: String) -> PGEncodingError {
        PGEncodingError(reason, dataType: Self.pgDataType, swiftType: "\(Self.self)")
    }
}
