public import NIOCore

/// A Swift array is a one-dimensional PostgreSQL array of its element type (`[Int32]` is
/// `int4[]`); `[Int32?]` holds NULL elements, and a NULL element read into `[Int32]` is an
/// ``PGDecodingError/Kind/unexpectedNull`` error.
///
/// Decoding accepts any lower bound (the elements are kept, the bound is dropped) but refuses a
/// multi-dimensional array with ``PGDecodingError/Kind/invalidValue(reason:)``: read those as
/// ``PGArray``. Encoding fails when the element type has no array type in ``PGDataType``.
///
/// ```swift
/// try [1, 2, nil].encode(into: &buffer)    // [Int?] as int8[] '{1,2,NULL}'
/// let tags = try [String].decode(from: cell, type: .textArray, format: .binary)
/// ```
extension Array: PGEncodable where Element: PGEncodable {
    public static var pgDataType: PGDataType { Element.pgDataType.arrayType ?? .unspecified }
    public static var pgFormat: PGFormat { Element.pgFormat }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard Element.pgDataType.arrayType != nil else {
            throw encodingError("\(Element.pgDataType) has no array type")
        }
        let shape = PGArrayShape.oneDimensional(count: count)
        switch format {
        case .binary:
            try PGArrayBinary.encode(
                self, shape: shape, elementType: Element.pgDataType, into: &buffer)
        case .text:
            try PGArrayText.encode(self, shape: shape, into: &buffer)
        }
    }
}

extension Array: PGDecodable where Element: PGDecodable {
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        let (shape, elements) =
            switch format {
            case .binary:
                try PGArrayBinary.decode(Element.self, from: &buffer, type: type, for: Self.self)
            case .text:
                try PGArrayText.decode(Element.self, from: &buffer, type: type, for: Self.self)
            }
        guard shape.dimensions.count <= 1 else {
            throw Self.decodingError(
                .invalidValue(
                    reason:
                        "a \(shape.dimensions.count)-dimensional array cannot be read as Array; use PGArray"
                ),
                type, format)
        }
        self = elements
    }
}
