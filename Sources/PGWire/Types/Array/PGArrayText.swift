import NIOCore

/// The text form of arrays, as `array_out` prints it and `array_in` reads it: `{1,2,3}`,
/// `{{1,NULL},{3,4}}`, `[0:1]={a,b}`, with elements double-quoted when they are empty, spell
/// NULL, or hold braces, commas, quotes, backslashes or whitespace.
enum PGArrayText {
    /// Fails unless `type` can be an array of `elementType`: a built-in array type of that element,
    /// or a type created in the database (an enum's array, whose element is not known here). A
    /// user-defined element inside a built-in array type is one ``PGTypeRegistry`` mapped (an
    /// enum array read as `text[]`).
    static func checkArrayType<Owner: PGDecodable>(
        _ type: PGDataType, elementType: PGDataType?, _ format: PGFormat, for owner: Owner.Type
    ) throws(PGDecodingError) {
        if let expected = type.elementType {
            if let elementType, elementType != expected, !elementType.isUserDefined {
                throw owner.decodingError(
                    .invalidValue(reason: "array of \(elementType) sent for type \(type)"), type,
                    format)
            }
        } else if type.rawValue < String.firstUserOID {
            throw owner.decodingError(.typeMismatch(expected: [], actual: type), type, format)
        }
    }

    // MARK: Encoding

    static func encode<Elements: Collection>(
        _ elements: Elements, shape: PGArrayShape, into buffer: inout ByteBuffer
    ) throws(PGEncodingError) where Elements.Element: PGEncodable {
        if shape.lowerBounds.contains(where: { $0 != 1 }) {
            for (size, lowerBound) in zip(shape.dimensions, shape.lowerBounds) {
                buffer.writeString("[\(lowerBound):\(lowerBound + size - 1)]")
            }
            buffer.writeStaticString("=")
        }
        guard !shape.dimensions.isEmpty else {
            buffer.writeStaticString("{}")
            return
        }
        var scratch = ByteBuffer()
        var iterator = elements.makeIterator()
        try writeLevel(0, shape.dimensions, &iterator, &scratch, into: &buffer)
    }

    private static func writeLevel<Iterator: IteratorProtocol>(
        _ level: Int, _ dimensions: [Int], _ iterator: inout Iterator, _ scratch: inout ByteBuffer,
        into buffer: inout ByteBuffer
    ) throws(PGEncodingError) where Iterator.Element: PGEncodable {
        buffer.writeStaticString("{")
        for index in 0..<dimensions[level] {
            if index > 0 { buffer.writeStaticString(",") }
            if level + 1 < dimensions.count {
                try writeLevel(level + 1, dimensions, &iterator, &scratch, into: &buffer)
            } else if let element = iterator.next() {
                scratch.clear()
                try element.encodeWithLength(into: &scratch, format: .text)
                if scratch.readInteger(as: Int32.self) == -1 {
                    buffer.writeStaticString("NULL")
                } else {
                    writeQuotedIfNeeded(scratch.readableBytesView, into: &buffer)
                }
            }
        }
        buffer.writeStaticString("}")
    }

    static func isArraySpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func writeQuotedIfNeeded(_ text: ByteBufferView, into buffer: inout ByteBuffer) {
        let special: Set<UInt8> = [
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: "\""),
            UInt8(ascii: "\\"),
        ]
        let needsQuotes =
            text.isEmpty || text.contains(where: { special.contains($0) || isArraySpace($0) })
            || String(decoding: text, as: UTF8.self).lowercased() == "null"
        guard needsQuotes else {
            buffer.writeBytes(text)
            return
        }
        writeQuoted(text, into: &buffer)
    }

    /// Writes `text` in double quotes, with a backslash before each `"` and `\`: the quoting
    /// that `array_in`, `range_in` and `record_in` all read.
    static func writeQuoted<Text: Sequence<UInt8>>(_ text: Text, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("\"")
        for byte in text {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.writeStaticString("\\")
            }
            buffer.writeInteger(byte)
        }
        buffer.writeStaticString("\"")
    }

    // MARK: Decoding

    /// Parses array text into a shape and the raw text of each element (`nil` for NULL), then
    /// decodes each element as `elementType` text.
    static func decode<Decoded: PGDecodable, Owner: PGDecodable>(
        _: Decoded.Type, from buffer: inout ByteBuffer, type: PGDataType, for owner: Owner.Type
    ) throws(PGDecodingError) -> (PGArrayShape, [Decoded]) {
        try checkArrayType(type, elementType: nil, .text, for: owner)
        let bytes = Array(buffer.readableBytesView)
        buffer.moveReaderIndex(forwardBy: bytes.count)
        var parser = Parser(bytes: bytes)
        let parsed: (PGArrayShape, [[UInt8]?])
        switch parser.parse() {
        case .success(let result): parsed = result
        case .failure(let failure):
            throw owner.decodingError(
                .invalidValue(reason: "malformed array text: \(failure.reason)"), type, .text)
        }
        let elementType = type.elementType ?? .unknown
        var elements: [Decoded] = []
        elements.reserveCapacity(parsed.1.count)
        for text in parsed.1 {
            let slice = text.map { ByteBuffer(bytes: $0) }
            elements.append(
                try Decoded.decode(
                    from: slice, type: elementType, format: .text, columnName: nil, columnIndex: nil
                ))
        }
        return (parsed.0, elements)
    }

    struct Failure: Error {
        var reason: String
    }

    /// A recursive-descent parser of `array_in` syntax.
    struct Parser {
        let bytes: [UInt8]
        var index = 0
        var elements: [[UInt8]?] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = peek, PGArrayText.isArraySpace(byte) { index += 1 }
        }

        mutating func parse() -> Result<(PGArrayShape, [[UInt8]?]), Failure> {
            do throws(Failure) {
                skipSpace()
                let declared = try parseBounds()
                skipSpace()
                try parseLevel(0)
                skipSpace()
                guard index == bytes.count else {
                    throw Failure(reason: "text after the closing brace")
                }
                if dimensions.isEmpty || elements.isEmpty {
                    if let declared, !declared.dimensions.isEmpty, !declared.dimensions.contains(0)
                    {
                        throw Failure(reason: "declared dimensions do not match the elements")
                    }
                    return .success((.empty, []))
                }
                let bounds = declared?.lowerBounds ?? Array(repeating: 1, count: dimensions.count)
                if let declared, declared.dimensions != dimensions {
                    throw Failure(reason: "declared dimensions do not match the elements")
                }
                if let problem = PGArrayShape.problem(dimensions: dimensions, lowerBounds: bounds) {
                    throw Failure(reason: problem)
                }
                return .success(
                    (PGArrayShape(dimensions: dimensions, lowerBounds: bounds), elements))
            } catch {
                return .failure(error)
            }
        }

        /// Reads an optional `[lower:upper]…=` prefix.
        mutating func parseBounds() throws(Failure) -> PGArrayShape? {
            guard peek == UInt8(ascii: "[") else { return nil }
            var shape = PGArrayShape.empty
            while peek == UInt8(ascii: "[") {
                index += 1
                let lower = try parseInteger()
                guard peek == UInt8(ascii: ":") else {
                    throw Failure(reason: "expected ':' in bounds")
                }
                index += 1
                let upper = try parseInteger()
                guard peek == UInt8(ascii: "]") else {
                    throw Failure(reason: "expected ']' in bounds")
                }
                index += 1
                guard upper >= lower - 1, shape.dimensions.count < PGArrayShape.maximumDimensions
                else {
                    throw Failure(reason: "invalid bounds")
                }
                shape.dimensions.append(upper - lower + 1)
                shape.lowerBounds.append(lower)
            }
            guard peek == UInt8(ascii: "=") else {
                throw Failure(reason: "expected '=' after bounds")
            }
            index += 1
            return shape
        }

        mutating func parseInteger() throws(Failure) -> Int {
            var sign = 1
            if peek == UInt8(ascii: "-") || peek == UInt8(ascii: "+") {
                sign = peek == UInt8(ascii: "-") ? -1 : 1
                index += 1
            }
            var value = 0
            var digits = 0
            while let byte = peek, byte >= 0x30, byte <= 0x39 {
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                index += 1
                guard digits <= 10 else { throw Failure(reason: "bound out of range") }
            }
            guard digits > 0, let bound = Int32(exactly: sign * value) else {
                throw Failure(reason: "bad bound")
            }
            return Int(bound)
        }

        /// Parses `{…}` at nesting `level`, recording or checking the size of that dimension.
        mutating func parseLevel(_ level: Int) throws(Failure) {
            guard level < PGArrayShape.maximumDimensions else {
                throw Failure(reason: "more than \(PGArrayShape.maximumDimensions) dimensions")
            }
            guard peek == UInt8(ascii: "{") else { throw Failure(reason: "expected '{'") }
            index += 1
            skipSpace()
            if peek == UInt8(ascii: "}") {
                index += 1
                // Only the whole array may be empty: '{}' inside a non-empty array is refused.
                guard level == 0 else { throw Failure(reason: "empty sub-array") }
                return
            }
            var count = 0
            while true {
                skipSpace()
                if peek == UInt8(ascii: "{") {
                    if let innermost, innermost <= level {
                        throw Failure(reason: "mixed elements and sub-arrays")
                    }
                    try parseLevel(level + 1)
                } else {
                    if let innermost, innermost != level {
                        throw Failure(reason: "elements at different depths")
                    }
                    innermost = level
                    try parseElement()
                }
                count += 1
                skipSpace()
                guard let byte = peek else { throw Failure(reason: "unterminated array") }
                index += 1
                if byte == UInt8(ascii: "}") { break }
                guard byte == UInt8(ascii: ",") else {
                    throw Failure(reason: "expected ',' or '}'")
                }
            }
            if let size = sizes[level], size != count {
                throw Failure(reason: "sub-arrays of different sizes")
            }
            sizes[level] = count
        }

        /// The level at which scalar elements were found, once known.
        var innermost: Int? = nil
        /// The size found at each nesting level.
        var sizes = [Int?](repeating: nil, count: PGArrayShape.maximumDimensions)

        /// The sizes of the levels down to the innermost one.
        var dimensions: [Int] {
            guard let innermost else { return [] }
            return sizes[0...innermost].map { $0 ?? 0 }
        }

        /// Reads one element, quoted or not; NULL (unquoted, any case) becomes `nil`.
        mutating func parseElement() throws(Failure) {
            var text: [UInt8] = []
            if peek == UInt8(ascii: "\"") {
                index += 1
                while true {
                    guard let byte = peek else {
                        throw Failure(reason: "unterminated quoted element")
                    }
                    index += 1
                    if byte == UInt8(ascii: "\"") { break }
                    if byte == UInt8(ascii: "\\") {
                        guard let escaped = peek else {
                            throw Failure(reason: "dangling backslash")
                        }
                        text.append(escaped)
                        index += 1
                    } else {
                        text.append(byte)
                    }
                }
                elements.append(text)
                return
            }
            var sawEscape = false
            var keptLength = 0  // trailing unescaped whitespace is not part of the element
            while let byte = peek, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}") {
                guard byte != UInt8(ascii: "{"), byte != UInt8(ascii: "\"") else {
                    throw Failure(
                        reason: "unexpected '\(Character(Unicode.Scalar(byte)))' in element")
                }
                index += 1
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = peek else { throw Failure(reason: "dangling backslash") }
                    text.append(escaped)
                    index += 1
                    sawEscape = true
                    keptLength = text.count
                } else {
                    text.append(byte)
                    if !PGArrayText.isArraySpace(byte) { keptLength = text.count }
                }
            }
            text.removeLast(text.count - keptLength)
            guard !text.isEmpty else { throw Failure(reason: "empty unquoted element") }
            if !sawEscape && text.count == 4
                && String(decoding: text, as: UTF8.self).lowercased() == "null"
            {
                elements.append(nil)
            } else {
                elements.append(text)
            }
        }
    }
}
