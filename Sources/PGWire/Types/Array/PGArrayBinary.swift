import NIOCore

/// The binary array layout of `array_send`/`array_recv`, shared by `Array` and `PGArray`:
/// Int32 number of dimensions, Int32 has-NULL flag, UInt32 element OID, an (Int32 size, Int32
/// lower bound) pair per dimension, then each element as Int32 length (-1 for NULL) and bytes.
enum PGArrayBinary {
    static func encode<Elements: Collection>(
        _ elements: Elements, shape: PGArrayShape, elementType: PGDataType,
        into buffer: inout ByteBuffer
    ) throws(PGEncodingError) where Elements.Element: PGEncodable {
        buffer.writeInteger(Int32(truncatingIfNeeded: shape.dimensions.count))
        let flagIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(elementType.rawValue)
        for (size, lowerBound) in zip(shape.dimensions, shape.lowerBounds) {
            buffer.writeInteger(Int32(truncatingIfNeeded: size))
            buffer.writeInteger(Int32(truncatingIfNeeded: lowerBound))
        }
        var hasNull = false
        for element in elements {
            let lengthIndex = buffer.writerIndex
            try element.encodeWithLength(into: &buffer, format: .binary)
            if buffer.getInteger(at: lengthIndex, as: Int32.self) == -1 { hasNull = true }
        }
        if hasNull { buffer.setInteger(Int32(1), at: flagIndex) }
    }

    /// Reads the header and elements of a binary array whose declared type is `type`. Memory is
    /// reserved only after checking that the bytes present can hold the declared element count.
    static func decode<Decoded: PGDecodable, Owner: PGDecodable>(
        _: Decoded.Type, from buffer: inout ByteBuffer, type: PGDataType, for owner: Owner.Type
    ) throws(PGDecodingError) -> (PGArrayShape, [Decoded]) {
        let format = PGFormat.binary
        func invalid(_ reason: String) -> PGDecodingError {
            owner.decodingError(.invalidValue(reason: reason), type, format)
        }
        guard
            let (ndim, flags, elementOID) = buffer.readMultipleIntegers(
                as: (Int32, Int32, UInt32).self)
        else {
            throw owner.decodingError(
                .invalidLength(expected: 12, actual: buffer.readableBytes), type, format)
        }
        let sentElementType = PGDataType(elementOID)
        try PGArrayText.checkArrayType(type, elementType: sentElementType, format, for: owner)
        // An element type created in the database, in an array the registry mapped to a built-in
        // one (an enum's array read as text[]), decodes as that array's element.
        let elementType = sentElementType.isUserDefined ? type.elementType ?? sentElementType : sentElementType
        guard ndim >= 0, ndim <= PGArrayShape.maximumDimensions else {
            throw invalid(
                "array has \(ndim) dimensions; the maximum is \(PGArrayShape.maximumDimensions)")
        }
        guard flags == 0 || flags == 1 else { throw invalid("array flags \(flags) are not 0 or 1") }
        guard buffer.readableBytes >= 8 * Int(ndim) else {
            throw owner.decodingError(
                .invalidLength(expected: 8 * Int(ndim), actual: buffer.readableBytes), type, format)
        }
        var dimensions: [Int] = []
        var lowerBounds: [Int] = []
        for _ in 0..<ndim {
            guard let (size, lowerBound) = buffer.readMultipleIntegers(as: (Int32, Int32).self)
            else {
                throw owner.decodingError(
                    .invalidLength(expected: 8, actual: buffer.readableBytes), type, format)
            }
            dimensions.append(Int(size))
            lowerBounds.append(Int(lowerBound))
        }
        if let problem = PGArrayShape.problem(dimensions: dimensions, lowerBounds: lowerBounds) {
            throw invalid(problem)
        }
        guard let count = PGArrayShape.elementCount(dimensions) else {
            throw invalid("the array's dimensions multiply beyond any possible size")
        }
        // Every element takes at least its 4-byte length: refuse counts the bytes cannot hold
        // before reserving anything for them.
        guard count <= buffer.readableBytes / 4 else {
            let needed = count.multipliedReportingOverflow(by: 4)
            throw owner.decodingError(
                .invalidLength(
                    expected: needed.overflow ? Int.max : needed.partialValue,
                    actual: buffer.readableBytes),
                type, format)
        }
        var elements: [Decoded] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            guard let length = buffer.readInteger(as: Int32.self) else {
                throw owner.decodingError(
                    .invalidLength(expected: 4, actual: buffer.readableBytes), type, format)
            }
            var slice: ByteBuffer? = nil
            if length != -1 {
                guard length >= 0 else { throw invalid("element length \(length) is negative") }
                guard let bytes = buffer.readSlice(length: Int(length)) else {
                    throw owner.decodingError(
                        .invalidLength(expected: Int(length), actual: buffer.readableBytes), type,
                        format)
                }
                slice = bytes
            }
            elements.append(
                try Decoded.decode(
                    from: slice, type: elementType, format: format, columnName: nil,
                    columnIndex: nil))
        }
        try owner.requireEnd(of: buffer, type, format)
        return (PGArrayShape(dimensions: dimensions, lowerBounds: lowerBounds).normalized, elements)
    }
}
