public import NIOCore

/// `PGArray<Element>` is the array type of `Element`, in binary or text, of any shape.
extension PGArray: PGCodable {
    public static var pgDataType: PGDataType { Element.pgDataType.arrayType ?? .unspecified }
    public static var pgFormat: PGFormat { Element.pgFormat }

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        guard Element.pgDataType.arrayType != nil else {
            throw encodingError("\(Element.pgDataType) has no array type")
        }
        switch format {
        case .binary:
            try PGArrayBinary.encode(
                elements, shape: shape, elementType: Element.pgDataType, into: &buffer)
        case .text:
            try PGArrayText.encode(elements, shape: shape, into: &buffer)
        }
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        let (shape, elements) =
            switch format {
            case .binary:
                try PGArrayBinary.decode(Element?.self, from: &buffer, type: type, for: Self.self)
            case .text:
                try PGArrayText.decode(Element?.self, from: &buffer, type: type, for: Self.self)
            }
        self.init(shape: shape, elements: elements)
    }
}
